/**
 * Quiet hours: is an employee inside their working hours at an instant, and if not, when do they start? Pure; the
 * company's time zone (TIME_ZONE) is the clock the hours are written in, so daylight saving time moves with it.
 */
import type { WorkingHours } from '../../../shared/schemas/index.js';

interface LocalParts {
  year: number;
  month: number;
  day: number;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  minutes: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function localParts(at: Date, timeZone: string): LocalParts {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS[parts.weekday as string] ?? 1,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The instant a wall-clock time happens in the zone (a time skipped by a DST change comes out an hour later). */
function instantOf(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  let guess = wall;
  // Two rounds settle the offset except inside a DST gap, where the later instant is as good as any.
  for (let i = 0; i < 2; i++) {
    const seen = localParts(new Date(guess), timeZone);
    const seenWall = Date.UTC(seen.year, seen.month - 1, seen.day, 0, seen.minutes);
    guess += wall - seenWall;
  }
  return new Date(guess);
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether a window that starts on `weekday` covers the local minute `minutes` of that day or (overnight) the next. */
function covers(hours: WorkingHours, local: LocalParts): boolean {
  const start = toMinutes(hours.start);
  const end = toMinutes(hours.end);
  const today = hours.days.includes(local.weekday);
  if (end > start) return today && local.minutes >= start && local.minutes < end;
  // Overnight: from start today until end tomorrow.
  const yesterday = hours.days.includes(local.weekday === 1 ? 7 : local.weekday - 1);
  return (today && local.minutes >= start) || (yesterday && local.minutes < end);
}

/**
 * Null when `at` falls inside the working hours (or there are none); else the instant the next window starts.
 * Hours with no start within a week cannot happen (days has at least one entry), so the search is bounded.
 */
export function quietUntil(hours: WorkingHours | null | undefined, at: Date, timeZone: string): Date | null {
  if (!hours) return null;
  const local = localParts(at, timeZone);
  if (covers(hours, local)) return null;
  const start = toMinutes(hours.start);
  for (let offset = 0; offset <= 7; offset++) {
    // Noon of the day `offset` days ahead: safely that calendar day whatever the DST change.
    const day = localParts(new Date(instantOf(local.year, local.month, local.day, 12 * 60, timeZone).getTime() + offset * 86_400_000), timeZone);
    if (!hours.days.includes(day.weekday)) continue;
    const candidate = instantOf(day.year, day.month, day.day, start, timeZone);
    if (candidate.getTime() > at.getTime()) return candidate;
  }
  return null;
}

/** HH:MM of an instant on the company's clock. */
export function localTimeOf(at: Date, timeZone: string): string {
  const minutes = localParts(at, timeZone).minutes;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
