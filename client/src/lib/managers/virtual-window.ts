/**
 * The arithmetic of a virtual list with rows of different heights: which rows are near the viewport, how tall the
 * space above and below them is, and where to scroll so that a chosen row stays at the same pixel offset while rows
 * are added above it or change height. Rows are known by a stable key; heights are measured in the page and kept per
 * key, rows not measured yet count as the average measured row. No DOM here, so it is tested on its own.
 */

/** A row and its distance from the top of the viewport (negative: partly scrolled past). */
export interface Anchor {
  key: string;
  /** The row's top minus scrollTop. */
  delta: number;
}

export interface VisibleRange {
  /** First rendered row. */
  start: number;
  /** One past the last rendered row. */
  end: number;
}

export interface VirtualWindowOptions {
  /** The height assumed until anything is measured. */
  defaultHeight: number;
  /** Rows this many pixels above and below the viewport are rendered too, so a fast scroll does not show blanks. */
  overscanPx: number;
  /**
   * Which rows may serve as the anchor (default: all). Rows that do not move with the messages (the "load older"
   * line, a day separator that moves up to the oldest message of its day) would let a prepended page push the
   * reader's message away.
   */
  anchorable?: (key: string) => boolean;
}

export class VirtualWindow {
  readonly #options: VirtualWindowOptions;
  #keys: string[] = [];
  #index = new Map<string, number>();
  readonly #heights = new Map<string, number>();
  #measuredSum = 0;
  /** offsets[i] = top of row i; offsets[n] = total height. Rebuilt lazily after a change, from #dirtyFrom on. */
  #offsets = new Float64Array(1);
  /** The first row whose offset after it may be stale (Infinity: none). */
  #dirtyFrom = Number.POSITIVE_INFINITY;
  /** The estimate the offsets were computed with: when it changes, every unmeasured row moves. */
  #estimateUsed = Number.NaN;

  readonly #anchorable: (key: string) => boolean;

  constructor(options: VirtualWindowOptions) {
    this.#options = options;
    this.#anchorable = options.anchorable ?? (() => true);
  }

  get size(): number {
    return this.#keys.length;
  }

  /**
   * The rows now, in order. Heights of rows still present are kept; those of rows gone are forgotten. Only the part
   * between the unchanged start and the unchanged end is indexed again (a send adds one row near the end of
   * thousands), and offsets are recomputed from the first changed row.
   */
  setKeys(keys: readonly string[]): void {
    const old = this.#keys;
    const limit = Math.min(old.length, keys.length);
    let same = 0;
    while (same < limit && old[same] === keys[same]) same++;
    if (same === old.length && same === keys.length) return;
    let tail = 0;
    while (tail < limit - same && old[old.length - 1 - tail] === keys[keys.length - 1 - tail]) tail++;
    const removed = old.slice(same, old.length - tail);
    for (const key of removed) this.#index.delete(key);
    this.#keys = [...keys];
    // The new middle, and the unchanged end when the middle changed length (its rows moved).
    const to = keys.length === old.length ? keys.length - tail : keys.length;
    for (let i = same; i < to; i++) this.#index.set(keys[i]!, i);
    for (const key of removed) {
      const height = this.#heights.get(key);
      if (height !== undefined && !this.#index.has(key)) {
        this.#heights.delete(key);
        this.#measuredSum -= height;
      }
    }
    this.#invalidateFrom(same);
  }

  /** Records a row's rendered height; answers whether it differs from what was assumed before. */
  measure(key: string, height: number): boolean {
    if (!this.#index.has(key)) return false;
    const before = this.#heights.get(key);
    if (before !== undefined && Math.abs(before - height) < 0.5) return false;
    this.#measuredSum += height - (before ?? 0);
    this.#heights.set(key, height);
    this.#invalidateFrom(this.#index.get(key)!);
    return true;
  }

  isMeasured(key: string): boolean {
    return this.#heights.has(key);
  }

  /** What an unmeasured row is assumed to take: the average of the measured ones. */
  get estimate(): number {
    return this.#heights.size > 0 ? this.#measuredSum / this.#heights.size : this.#options.defaultHeight;
  }

  indexOf(key: string): number {
    return this.#index.get(key) ?? -1;
  }

  heightAt(index: number): number {
    const key = this.#keys[index];
    return (key !== undefined ? this.#heights.get(key) : undefined) ?? this.estimate;
  }

  /** The top of row `index` (index = size gives the total height). */
  offsetOf(index: number): number {
    const offsets = this.#layout();
    return offsets[Math.max(0, Math.min(index, this.#keys.length))]!;
  }

  get total(): number {
    return this.offsetOf(this.#keys.length);
  }

  /** The rows that intersect the viewport widened by the overscan on both sides. */
  range(scrollTop: number, viewportHeight: number): VisibleRange {
    const n = this.#keys.length;
    if (n === 0) return { start: 0, end: 0 };
    const top = scrollTop - this.#options.overscanPx;
    const bottom = scrollTop + viewportHeight + this.#options.overscanPx;
    const start = Math.min(this.#rowAt(top), n - 1);
    let end = this.#rowAt(bottom) + 1;
    if (end <= start) end = start + 1;
    return { start, end: Math.min(end, n) };
  }

  /** The first anchorable row not scrolled entirely past: what the reader sees at the top. */
  anchorAt(scrollTop: number): Anchor | null {
    const n = this.#keys.length;
    let index = Math.min(this.#rowAt(scrollTop), n - 1);
    while (index >= 0 && index < n && !this.#anchorable(this.#keys[index]!)) index++;
    if (index < 0 || index >= n) return null;
    return { key: this.#keys[index]!, delta: this.offsetOf(index) - scrollTop };
  }

  /** The scrollTop that puts the anchor's row back at its offset, or null when that row is no longer listed. */
  scrollTopFor(anchor: Anchor): number | null {
    const index = this.indexOf(anchor.key);
    return index < 0 ? null : this.offsetOf(index) - anchor.delta;
  }

  /** The row whose span contains `y`: the last row whose top is at or above it, so empty rows at `y` are passed over. */
  #rowAt(y: number): number {
    const offsets = this.#layout();
    let lo = 0;
    let hi = this.#keys.length - 1;
    if (hi < 0) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offsets[mid]! <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  #invalidateFrom(index: number): void {
    this.#dirtyFrom = Math.min(this.#dirtyFrom, index);
  }

  #layout(): Float64Array {
    const n = this.#keys.length;
    const estimate = this.estimate;
    const from = estimate === this.#estimateUsed ? Math.min(this.#dirtyFrom, n) : 0;
    if (from === n && this.#offsets.length === n + 1) return this.#offsets;
    let offsets = this.#offsets;
    if (offsets.length !== n + 1) {
      offsets = new Float64Array(n + 1);
      offsets.set(this.#offsets.subarray(0, from + 1));
    }
    for (let i = from; i < n; i++) offsets[i + 1] = offsets[i]! + (this.#heights.get(this.#keys[i]!) ?? estimate);
    this.#offsets = offsets;
    this.#dirtyFrom = Number.POSITIVE_INFINITY;
    this.#estimateUsed = estimate;
    return offsets;
  }
}
