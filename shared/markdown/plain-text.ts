/**
 * Markdown to plain text, for where no formatting can be shown: the SMS of an urgent message and the conversation
 * list's preview. Marks are dropped (**pilne** → pilne), a link keeps its address ("text (url)"), code is kept as
 * written, list items start with "- " (or their number), quoted lines with "> ".
 */
import { createMarkdown } from './parser.js';

type Markdown = ReturnType<typeof createMarkdown>;
type Token = ReturnType<Markdown['parse']>[number];

export interface PlainTextOptions {
  /**
   * 'unicode' turns ":+1:" into 👍 (previews); 'shortcode' leaves it as typed — an emoji makes a whole SMS UCS-2,
   * with 70 instead of 160 characters per part.
   */
  emoji: 'unicode' | 'shortcode';
}

let shared: Markdown | null = null;
const parser = (): Markdown => (shared ??= createMarkdown());

function inlineText(children: readonly Token[], options: PlainTextOptions): string {
  let out = '';
  const links: Array<{ href: string; start: number; auto: boolean }> = [];
  for (const token of children) {
    switch (token.type) {
      case 'text':
      case 'text_special':
      case 'code_inline':
        out += token.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        out += '\n';
        break;
      case 'emoji':
        out += options.emoji === 'unicode' ? token.content : `:${token.markup}:`;
        break;
      case 'link_open':
        links.push({ href: String(token.attrGet('href') ?? ''), start: out.length, auto: token.markup === 'linkify' || token.markup === 'autolink' });
        break;
      case 'link_close': {
        const link = links.pop();
        if (!link || link.auto) break;
        const label = out.slice(link.start);
        if (label !== link.href && `mailto:${label}` !== link.href) out += ` (${link.href})`;
        break;
      }
      default:
        // strong/em/s open and close: the marks themselves are what is dropped.
        break;
    }
  }
  return out;
}

export function markdownToPlainText(source: string, options: PlainTextOptions = { emoji: 'shortcode' }): string {
  const tokens = parser().parse(source, {});
  const lines: string[] = [];
  const lists: Array<{ ordered: boolean; next: number }> = [];
  let quoteDepth = 0;
  let itemPrefix: string | null = null;
  let blankBefore = false;

  const emit = (text: string) => {
    if (blankBefore && lines.length > 0) lines.push(quoteDepth > 0 ? '>' : '');
    blankBefore = false;
    const quote = '> '.repeat(quoteDepth);
    const indent = '  '.repeat(Math.max(0, lists.length - 1));
    text.split('\n').forEach((line, index) => {
      const lead = index === 0 && itemPrefix !== null ? indent + itemPrefix : lists.length > 0 ? indent + '  ' : '';
      lines.push((quote + lead + line).trimEnd());
    });
    itemPrefix = null;
  };

  for (const token of tokens) {
    switch (token.type) {
      case 'bullet_list_open':
        lists.push({ ordered: false, next: 0 });
        break;
      case 'ordered_list_open':
        lists.push({ ordered: true, next: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        if (lists.length === 0) blankBefore = true;
        break;
      case 'list_item_open': {
        const list = lists[lists.length - 1];
        itemPrefix = list?.ordered ? `${list.next++}. ` : '- ';
        break;
      }
      case 'blockquote_open':
        quoteDepth++;
        break;
      case 'blockquote_close':
        quoteDepth--;
        blankBefore = true;
        break;
      case 'inline':
        emit(inlineText(token.children ?? [], options));
        break;
      case 'fence':
      case 'code_block':
        emit(token.content.replace(/\n$/, ''));
        blankBefore = true;
        break;
      case 'paragraph_close':
        // Hidden paragraphs are a tight list's items: those stay on consecutive lines.
        if (!token.hidden) blankBefore = true;
        break;
      default:
        break;
    }
  }
  return lines.join('\n').trim();
}

export const PREVIEW_LENGTH = 100;

/** One line for the conversation list: plain text, whitespace folded, cut at a code point boundary with "…". */
export function messagePreview(source: string): string {
  const flat = markdownToPlainText(source, { emoji: 'unicode' }).replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= PREVIEW_LENGTH ? flat : `${chars.slice(0, PREVIEW_LENGTH - 1).join('').trimEnd()}…`;
}
