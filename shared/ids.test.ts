import { describe, expect, it } from 'vitest';
import { uuidv7 } from './ids.js';

describe('uuidv7', () => {
  it('is a version 7, variant 1 UUID carrying its millisecond timestamp', () => {
    const at = Date.UTC(2026, 10, 27, 12, 0, 0, 123);
    const id = uuidv7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts as text in the order the milliseconds came, and never repeats', () => {
    const base = Date.UTC(2030, 0, 1);
    const ids = Array.from({ length: 1000 }, (_, i) => uuidv7(base + i * 7));
    expect([...ids].sort()).toEqual(ids);
    const same = Array.from({ length: 10_000 }, () => uuidv7(base));
    expect(new Set(same).size).toBe(same.length);
  });
});
