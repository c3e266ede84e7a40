import { describe, expect, it } from 'vitest';
import { localTimeOf, quietUntil } from './quiet-hours.js';

const ZONE = 'Europe/Warsaw';
const weekdays = { days: [1, 2, 3, 4, 5], start: '07:00', end: '15:00' };

describe('quiet hours', () => {
  it('none set: always reachable', () => {
    expect(quietUntil(null, new Date('2025-03-03T02:00:00Z'), ZONE)).toBeNull();
  });

  it('inside the hours: reachable; the end minute itself is already quiet', () => {
    // Monday 10:00 Warsaw (CET, +1).
    expect(quietUntil(weekdays, new Date('2025-03-03T09:00:00Z'), ZONE)).toBeNull();
    expect(quietUntil(weekdays, new Date('2025-03-03T14:00:00Z'), ZONE)?.toISOString()).toBe('2025-03-04T06:00:00.000Z');
  });

  it('before the start the same day, and over a weekend to Monday', () => {
    expect(quietUntil(weekdays, new Date('2025-03-03T05:00:00Z'), ZONE)?.toISOString()).toBe('2025-03-03T06:00:00.000Z');
    // Friday 18:00 → Monday 07:00.
    expect(quietUntil(weekdays, new Date('2025-03-07T17:00:00Z'), ZONE)?.toISOString()).toBe('2025-03-10T06:00:00.000Z');
  });

  it('follows daylight saving time: after the change 07:00 Warsaw is 05:00 UTC', () => {
    // Saturday 29 March 2025 → Monday 31 March (CEST, +2).
    expect(quietUntil(weekdays, new Date('2025-03-29T12:00:00Z'), ZONE)?.toISOString()).toBe('2025-03-31T05:00:00.000Z');
  });

  it('an overnight shift covers the early hours of the next day', () => {
    const nights = { days: [1], start: '22:00', end: '06:00' };
    // Tuesday 03:00 Warsaw: inside Monday's night.
    expect(quietUntil(nights, new Date('2025-03-04T02:00:00Z'), ZONE)).toBeNull();
    // Tuesday 07:00: quiet until next Monday 22:00.
    expect(quietUntil(nights, new Date('2025-03-04T06:00:00Z'), ZONE)?.toISOString()).toBe('2025-03-10T21:00:00.000Z');
  });

  it('writes the local time of an instant', () => {
    expect(localTimeOf(new Date('2025-03-04T06:00:00Z'), ZONE)).toBe('07:00');
  });
});
