import { describe, expect, it } from 'vitest';
import { RateSchedule, senderFor } from './lib/scheduler.js';

describe('RateSchedule', () => {
  it('spreads sends evenly by time, not by acknowledgements', () => {
    const schedule = new RateSchedule(1000, 100, 2000);
    expect(schedule.total).toBe(2000);
    expect(schedule.dueBy(99)).toBe(0);
    expect(schedule.dueBy(100)).toBe(1);
    expect(schedule.dueBy(100.999)).toBe(1);
    expect(schedule.dueBy(101)).toBe(2);
    expect(schedule.dueBy(600)).toBe(501);
    expect(schedule.dueAt(500)).toBeCloseTo(600);
  });

  it('never schedules more than the total, however late the caller looks', () => {
    const schedule = new RateSchedule(50, 0, 1000);
    expect(schedule.total).toBe(50);
    expect(schedule.dueBy(999_999)).toBe(50);
    expect(schedule.endMs).toBe(1000);
  });

  it('catches up in one go after a stall (open loop: the backlog is sent, not dropped)', () => {
    const schedule = new RateSchedule(10_000, 0, 1000);
    expect(schedule.dueBy(0.5)).toBe(6);
    expect(schedule.dueBy(50)).toBe(501);
  });

  it('handles fractional rates and rejects nonsense', () => {
    expect(new RateSchedule(0.5, 0, 10_000).total).toBe(5);
    expect(() => new RateSchedule(0, 0, 1000)).toThrow(/rate/);
    expect(() => new RateSchedule(Number.NaN, 0, 1000)).toThrow(/rate/);
    expect(() => new RateSchedule(10, 0, 0)).toThrow(/duration/);
  });
});

describe('senderFor', () => {
  it('goes round-robin over the senders', () => {
    expect([0, 1, 2, 3, 4].map((i) => senderFor(i, 3))).toEqual([0, 1, 2, 0, 1]);
    expect(() => senderFor(1, 0)).toThrow();
  });
});
