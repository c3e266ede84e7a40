/** Rules of file attachments (issue 12) that need no I/O: names, types, and the SMS note. */
import { INLINE_IMAGE_TYPES } from '../../../shared/schemas/index.js';

const NAME_MAX = 255;
const FALLBACK_NAME = 'plik';

/** The name as shown and offered on download: no folders, no control characters, at most 255 characters. */
export function cleanFileName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  // Control characters are exactly what this strips (a file name with them breaks headers and terminals), so the
  // rule against control characters in a regex does not apply here.
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  const chars = [...clean];
  return chars.length === 0 ? FALLBACK_NAME : chars.slice(0, NAME_MAX).join('');
}

/** A well-formed media type, lower-cased, without parameters; anything else is an opaque octet stream. */
export function cleanContentType(raw: string | undefined): string {
  const type = (raw ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/.test(type) ? type : 'application/octet-stream';
}

/** Shown inline (thumbnails, full size) only for raster images: never HTML, never SVG. */
export function isInlineImage(contentType: string): boolean {
  return (INLINE_IMAGE_TYPES as readonly string[]).includes(contentType);
}

/**
 * What an urgent message's SMS says of its files, in Polish (the SMS language): "(+ 1 załącznik)", "(+ 2
 * załączniki)", "(+ 5 załączników)". Never a link: an SMS may be forwarded to anyone.
 */
export function smsAttachmentNote(count: number): string {
  if (count <= 0) return '';
  const lastTwo = count % 100;
  const last = count % 10;
  const word = count === 1 ? 'załącznik' : last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14) ? 'załączniki' : 'załączników';
  return `(+ ${count} ${word})`;
}

/** The SMS text of a message: its text and the note, either alone when the other is empty. */
export function smsTextWithAttachments(text: string, count: number): string {
  const note = smsAttachmentNote(count);
  return [text, note].filter((part) => part !== '').join(' ');
}
