import { describe, expect, it } from 'vitest';
import { VirtualWindow } from './virtual-window.js';

const keys = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `m${from + i}`);

function window(options = { defaultHeight: 50, overscanPx: 0 }): VirtualWindow {
  return new VirtualWindow(options);
}

describe('VirtualWindow', () => {
  it('counts unmeasured rows as the default height, then as the average of the measured ones', () => {
    const w = window();
    w.setKeys(keys(1, 10));
    expect(w.total).toBe(500);
    w.measure('m1', 100);
    w.measure('m2', 20);
    expect(w.estimate).toBe(60);
    expect(w.total).toBe(100 + 20 + 8 * 60);
    expect(w.offsetOf(2)).toBe(120);
    expect(w.offsetOf(3)).toBe(180);
  });

  it('renders only the rows that meet the viewport and its overscan, however many rows there are', () => {
    const w = window({ defaultHeight: 40, overscanPx: 100 });
    w.setKeys(keys(1, 5000));
    const bottom = w.total - 400;
    const r = w.range(bottom, 400);
    expect(r.end).toBe(5000);
    // 400 px of viewport + 100 px above, 40 px rows: 12.5 rows and the partial one.
    expect(r.end - r.start).toBeLessThanOrEqual(14);
    const top = w.range(0, 400);
    expect(top).toEqual({ start: 0, end: 13 });
    expect(w.range(20_000, 400).start).toBe(Math.floor((20_000 - 100) / 40));
  });

  it('keeps the anchored row at the same pixel offset when an older page is prepended and then measured', () => {
    const w = window();
    w.setKeys(keys(51, 100));
    for (const key of keys(51, 100)) w.measure(key, 30);
    const scrollTop = 10 * 30 + 7; // m61 starts 7 px above the viewport's top
    const anchor = w.anchorAt(scrollTop)!;
    expect(anchor).toEqual({ key: 'm61', delta: -7 });

    w.setKeys([...keys(1, 50), ...keys(51, 100)]);
    const afterPrepend = w.scrollTopFor(anchor)!;
    expect(w.offsetOf(w.indexOf('m61')) - afterPrepend).toBe(-7);

    // The rows just above it get rendered and turn out taller than estimated: the anchor still stays put.
    for (const key of keys(40, 50)) w.measure(key, 90);
    const afterMeasure = w.scrollTopFor(anchor)!;
    // Taller measured rows above, and a larger estimate for the rows still unmeasured: the reader scrolls down by it.
    expect(afterMeasure - afterPrepend).toBeCloseTo(39 * (w.estimate - 30) + 11 * (90 - 30), 6);
    expect(w.offsetOf(w.indexOf('m61')) - afterMeasure).toBeCloseTo(-7, 6);
  });

  it('keeps heights of rows still listed and forgets rows gone, e.g. when the window is replaced', () => {
    const w = window();
    w.setKeys(['a', 'b', 'c']);
    w.measure('a', 10);
    w.measure('b', 200);
    w.setKeys(['x', 'a', 'y']);
    expect(w.isMeasured('a')).toBe(true);
    expect(w.isMeasured('b')).toBe(false);
    expect(w.estimate).toBe(10);
    expect(w.scrollTopFor({ key: 'b', delta: 0 })).toBeNull();
  });

  it('answers whether a measurement changed anything, so a late image triggers one correction only', () => {
    const w = window();
    w.setKeys(['a']);
    expect(w.measure('a', 50)).toBe(true);
    expect(w.measure('a', 50.2)).toBe(false);
    expect(w.measure('a', 170)).toBe(true);
    expect(w.measure('gone', 10)).toBe(false);
    expect(w.total).toBe(170);
  });

  it('anchors on the first row not scrolled past, passing over empty rows', () => {
    const w = window();
    w.setKeys(['head', 'a', 'b']);
    w.measure('head', 0);
    w.measure('a', 40);
    w.measure('b', 40);
    expect(w.anchorAt(0)).toEqual({ key: 'a', delta: 0 });
    expect(w.anchorAt(39)).toEqual({ key: 'a', delta: -39 });
    expect(w.anchorAt(40)).toEqual({ key: 'b', delta: 0 });
    expect(w.range(0, 10)).toEqual({ start: 1, end: 2 });
  });

  it('anchors only on rows that move with the messages, so a page prepended under the "load older" line and the day separator cannot push the view', () => {
    const w = new VirtualWindow({ defaultHeight: 50, overscanPx: 0, anchorable: (key) => key.startsWith('m') });
    w.setKeys(['head', 'day', ...keys(51, 60), 'tail']);
    for (const key of ['head', 'day', ...keys(51, 60), 'tail']) w.measure(key, 40);
    const anchor = w.anchorAt(0)!;
    expect(anchor).toEqual({ key: 'm51', delta: 80 });
    // The day separator moves up to the oldest message of the day, which came with the older page.
    w.setKeys(['head', 'day', ...keys(1, 50), ...keys(51, 60), 'tail']);
    // m51 is now below 50 unmeasured rows: scrolled so it stays 80 px under the viewport's top.
    expect(w.scrollTopFor(anchor)).toBe(80 + 50 * 40 - 80);
    expect(w.anchorAt(w.total - 40)).toBeNull();
  });

  it('handles an empty list', () => {
    const w = window();
    expect(w.total).toBe(0);
    expect(w.range(0, 500)).toEqual({ start: 0, end: 0 });
    expect(w.anchorAt(0)).toBeNull();
  });
});

describe('VirtualWindow kept up to date row by row', () => {
  /** A window built from nothing with the same rows and the same heights: what the updated one must equal. */
  function fresh(rows: string[], heights: Map<string, number>): VirtualWindow {
    const w = window();
    w.setKeys(rows);
    for (const key of rows) if (heights.has(key)) w.measure(key, heights.get(key)!);
    return w;
  }

  it('answers as a window built from nothing after sends, older pages, removals and a replaced window', () => {
    const w = window();
    const heights = new Map<string, number>();
    let rows = ['head', ...keys(100, 140), 'tail'];
    let seed = 7;
    const height = () => (seed = (seed * 48271) % 2147483647) % 90 + 20;
    const steps: Array<[string, (r: string[]) => string[]]> = [
      ['a send', (r) => [...r.slice(0, -1), 'o-1', 'tail']],
      ['its ack', (r) => [...r.filter((k) => k !== 'o-1').slice(0, -1), 'm141', 'tail']],
      ['an older page', (r) => ['head', ...keys(60, 99), ...r.slice(1)]],
      ['a row gone in the middle', (r) => r.filter((k) => k !== 'm120')],
      ['a row replaced in the middle', (r) => r.map((k) => (k === 'm121' ? 'marker' : k))],
      ['rows swapped', (r) => ['head', 'm61', 'm60', ...r.slice(3)]],
      ['nothing changed', (r) => [...r]],
      ['the window replaced', () => ['head', ...keys(1, 30), 'tail']],
    ];
    for (const [what, change] of steps) {
      rows = change(rows);
      w.setKeys(rows);
      for (const key of heights.keys()) if (!rows.includes(key)) heights.delete(key);
      // Some rows measured (some again, with a new height), the rest left to the estimate.
      for (const key of rows.filter((_, i) => i % 3 !== 1)) {
        const h = height();
        w.measure(key, h);
        heights.set(key, h);
      }
      const expected = fresh(rows, heights);
      expect(w.total, what).toBeCloseTo(expected.total, 6);
      for (let i = 0; i <= rows.length; i++) expect(w.offsetOf(i), `${what}: offset ${i}`).toBeCloseTo(expected.offsetOf(i), 6);
      rows.forEach((key, i) => expect(w.indexOf(key), `${what}: ${key}`).toBe(i));
      expect(w.indexOf('o-1'), what).toBe(rows.indexOf('o-1'));
    }
  });

  it('recomputes offsets only from the first row that changed when nothing else moved', () => {
    const w = window();
    const rows = keys(1, 1000);
    w.setKeys(rows);
    for (const key of rows) w.measure(key, 30);
    expect(w.total).toBe(30_000);
    // The average stays 30 px, so no unmeasured row could move: only offsets after the changed rows are redone.
    w.measure('m1000', 60);
    w.measure('m1', 0);
    expect(w.estimate).toBe(30);
    expect(w.offsetOf(1)).toBe(0);
    expect(w.offsetOf(999)).toBe(29_940);
    expect(w.total).toBe(30_000);
  });
});
