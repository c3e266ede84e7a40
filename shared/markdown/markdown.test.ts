import { describe, expect, it } from 'vitest';
import { isSafeLink } from './parser.js';
import { markdownToPlainText, messagePreview } from './plain-text.js';
import { renderMarkdown } from './render.js';

const ALLOWED_TAGS = new Set(['p', 'br', 'a', 'strong', 'em', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li']);

/** The real elements in rendered HTML (escaped text such as "&lt;img" is not one). */
function tagsIn(html: string): Array<{ name: string; attributes: string }> {
  return [...html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)].map((m) => ({ name: m[1]!.toLowerCase(), attributes: m[2] ?? '' }));
}

describe('renderMarkdown', () => {
  it('renders the chat marks', () => {
    const html = renderMarkdown('**pilne** _jutro_ ~~wczoraj~~ `kod`');
    expect(html).toContain('<strong>pilne</strong>');
    expect(html).toContain('<em>jutro</em>');
    expect(html).toContain('<s>wczoraj</s>');
    expect(html).toContain('<code>kod</code>');
    expect(renderMarkdown('```\na < b\n```')).toContain('<pre><code>a &lt; b\n</code></pre>');
    expect(renderMarkdown('> cytat')).toContain('<blockquote>');
    expect(renderMarkdown('- jeden\n- dwa')).toMatch(/<ul>\s*<li>jeden<\/li>\s*<li>dwa<\/li>\s*<\/ul>/);
    expect(renderMarkdown('1. jeden\n2. dwa')).toContain('<ol>');
  });

  it('turns emoji shortcodes into emoji, but not smileys typed as text', () => {
    expect(renderMarkdown('ok :+1: :tada:')).toContain('ok 👍 🎉');
    expect(renderMarkdown('f(:) :)')).toContain('f(:) :)');
  });

  it('lets no raw HTML and no script through', () => {
    for (const attack of [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">x</a>',
      '<iframe src="https://evil.example"></iframe>',
      '<div onclick="alert(1)">x</div>',
    ]) {
      const html = renderMarkdown(attack);
      expect(tagsIn(html).filter((tag) => !ALLOWED_TAGS.has(tag.name)), attack).toEqual([]);
      expect(tagsIn(html).filter((tag) => /\son\w+\s*=|javascript:/i.test(tag.attributes)), attack).toEqual([]);
      expect(html).toContain('&lt;');
    }
  });

  it('refuses javascript:, data:, vbscript: and relative links, in any spelling', () => {
    for (const attack of [
      '[x](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1))',
      '[x](  javascript:alert(1))',
      '[x](java&#x73;cript:alert(1))',
      '[x](&#106;avascript:alert(1))',
      '[x](data:text/html;base64,PHNjcmlwdD4=)',
      '[x](vbscript:msgbox)',
      '[x](/relative)',
      '<javascript:alert(1)>',
    ]) {
      const html = renderMarkdown(attack);
      expect(html, attack).not.toMatch(/<a\b|<img\b/i);
    }
  });

  it('shows no images (nothing loads from a message), an image written in Markdown stays a plain link', () => {
    expect(renderMarkdown('![x](https://tracker.example/pixel.png)')).not.toMatch(/<img\b/i);
  });

  it('opens safe links in a new tab without opener or referrer', () => {
    for (const source of ['[plan](https://example.com/plan)', 'https://example.com/plan', '<https://example.com/plan>']) {
      expect(renderMarkdown(source), source).toContain(
        '<a href="https://example.com/plan" target="_blank" rel="noopener noreferrer">',
      );
    }
    expect(renderMarkdown('[poczta](mailto:anna@example.com)')).toContain('href="mailto:anna@example.com"');
  });

  it('escapes quotes inside a link address, so it cannot leave the attribute', () => {
    const html = renderMarkdown('[x](https://example.com/"onmouseover="alert(1))');
    expect(html).not.toMatch(/"\s*onmouseover=/);
  });

  it('checks links with the URL parser', () => {
    expect(isSafeLink('https://example.com')).toBe(true);
    expect(isSafeLink('javascript:alert(1)')).toBe(false);
    expect(isSafeLink('data:text/html,x')).toBe(false);
    expect(isSafeLink('https://')).toBe(false);
    expect(isSafeLink('example.com')).toBe(false);
  });
});

describe('markdownToPlainText (SMS)', () => {
  it('drops marks and keeps the words', () => {
    expect(markdownToPlainText('**pilne**: serwer _leży_, ~~nie~~ dzwonić')).toBe('pilne: serwer leży, nie dzwonić');
  });

  it('keeps a link address next to its text, and a bare address once', () => {
    expect(markdownToPlainText('zobacz [plan](https://example.com/plan)')).toBe('zobacz plan (https://example.com/plan)');
    expect(markdownToPlainText('zobacz https://example.com/plan')).toBe('zobacz https://example.com/plan');
    expect(markdownToPlainText('[https://example.com/](https://example.com/)')).toBe('https://example.com/');
  });

  it('keeps code as written', () => {
    expect(markdownToPlainText('uruchom `rm -rf **/tmp`')).toBe('uruchom rm -rf **/tmp');
    expect(markdownToPlainText('```\nconst a = **b**;\n  x();\n```')).toBe('const a = **b**;\n  x();');
  });

  it('writes lists with "- " and numbers, quotes with "> "', () => {
    expect(markdownToPlainText('Lista:\n\n* jeden\n* **dwa**')).toBe('Lista:\n\n- jeden\n- dwa');
    expect(markdownToPlainText('3. trzy\n4. cztery')).toBe('3. trzy\n4. cztery');
    expect(markdownToPlainText('> ktoś napisał\n\nodpowiedź')).toBe('> ktoś napisał\n\nodpowiedź');
  });

  it('keeps line breaks and paragraphs, and text that only looks like HTML', () => {
    expect(markdownToPlainText('a\nb\n\nc')).toBe('a\nb\n\nc');
    expect(markdownToPlainText('1 < 2 & <b>x</b>')).toBe('1 < 2 & <b>x</b>');
    expect(markdownToPlainText('\\*nie pogrubione\\*')).toBe('*nie pogrubione*');
  });

  it('leaves emoji shortcodes as typed in an SMS (an emoji would halve each part) and shows them in previews', () => {
    expect(markdownToPlainText('ok :+1:')).toBe('ok :+1:');
    expect(markdownToPlainText('ok :+1:', { emoji: 'unicode' })).toBe('ok 👍');
  });
});

describe('messagePreview', () => {
  it('is one line, without marks, cut at 100 characters', () => {
    expect(messagePreview('**Uwaga**\n\n- jeden\n- dwa')).toBe('Uwaga - jeden - dwa');
    const long = messagePreview('ż'.repeat(150));
    expect([...long]).toHaveLength(100);
    expect(long.endsWith('…')).toBe(true);
  });
});
