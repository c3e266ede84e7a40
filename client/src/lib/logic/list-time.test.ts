import { describe, expect, it } from 'vitest';
import { listTime } from './list-time.js';

describe('listTime', () => {
  const now = new Date(2026, 10, 30, 15, 0);

  it('shows the hour for today, 24-hour in Polish', () => {
    expect(listTime(new Date(2026, 10, 30, 9, 5).toISOString(), 'pl', now)).toBe('09:05');
    expect(listTime(new Date(2026, 10, 30, 21, 5).toISOString(), 'pl', now)).toBe('21:05');
  });

  it('shows a date for earlier days, in the reader’s format', () => {
    expect(listTime(new Date(2026, 10, 29, 23, 59).toISOString(), 'pl', now)).toBe('29 lis');
    expect(listTime(new Date(2026, 10, 29, 23, 59).toISOString(), 'en', now)).toBe('Nov 29');
    expect(listTime(new Date(2025, 0, 3, 8, 0).toISOString(), 'pl', now)).toBe('3.01.2025');
  });
});
