/**
 * A list preview for the moment before the Markdown chunk has loaded: whitespace folded and the common marks
 * dropped. The server's previews (and ours once the chunk is in) use the real parser.
 */
export function roughPreview(text: string, length = 100): string {
  const flat = text.replace(/[*_~`]+/g, '').replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= length ? flat : `${chars.slice(0, length - 1).join('').trimEnd()}…`;
}
