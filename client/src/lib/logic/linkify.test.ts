import { describe, expect, it } from 'vitest';
import { linkify, safeHref } from './linkify.js';

describe('linkify', () => {
  it('leaves plain text alone', () => {
    expect(linkify('hello\nworld')).toEqual([{ kind: 'text', text: 'hello\nworld' }]);
  });

  it('turns http and https URLs into links and keeps the text around them', () => {
    expect(linkify('see https://example.com/a?b=1 and http://intra.local/x')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://intra.local/x', href: 'http://intra.local/x' },
    ]);
  });

  it('never makes javascript:, data: or other schemes into links', () => {
    for (const text of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(document.cookie)',
      'click javascript://example.com/%0Aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      '<a href="javascript:alert(1)">x</a>',
    ]) {
      expect(linkify(text).every((s) => s.kind === 'text'), text).toBe(true);
    }
  });

  it('does not let an http-looking prefix smuggle another scheme', () => {
    const segments = linkify('xhttps://evil.example javascript:https://x');
    for (const segment of segments) {
      if (segment.kind === 'link') expect(segment.href.startsWith('https://') || segment.href.startsWith('http://')).toBe(true);
    }
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('https://')).toBeNull();
  });

  it('drops trailing punctuation and unbalanced closing brackets', () => {
    expect(linkify('Look: https://example.com/page.')).toEqual([
      { kind: 'text', text: 'Look: ' },
      { kind: 'link', text: 'https://example.com/page', href: 'https://example.com/page' },
      { kind: 'text', text: '.' },
    ]);
    expect(linkify('(see https://example.com/x)')[1]).toEqual({
      kind: 'link',
      text: 'https://example.com/x',
      href: 'https://example.com/x',
    });
    expect(linkify('https://en.wikipedia.org/wiki/Foo_(bar)')[0]).toMatchObject({
      kind: 'link',
      text: 'https://en.wikipedia.org/wiki/Foo_(bar)',
    });
  });

  it('keeps markup as text', () => {
    const segments = linkify('<img src=x onerror=alert(1)> https://example.com/"><script>');
    expect(segments[0]).toEqual({ kind: 'text', text: '<img src=x onerror=alert(1)> ' });
    expect(segments[1]).toMatchObject({ kind: 'link', text: 'https://example.com/' });
    expect(segments[2]).toEqual({ kind: 'text', text: '"><script>' });
  });
});
