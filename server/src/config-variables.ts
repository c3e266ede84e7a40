/**
 * Every environment variable in one table: its default, what it means and how it is read. loadConfig (config.ts)
 * reads through this table, and the README's configuration table is generated from it (`npm run config-table`;
 * a test fails when the README drifts), so a default is written exactly once.
 */
import { isIP } from 'node:net';
import { redactUri } from './domain/redact-uri.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface Variable<T> {
  /** The default as the README shows it. */
  shownDefault: string;
  about: string;
  /** `raw` is the trimmed value, null when unset or blank. */
  read(raw: string | null, name: string): T;
}

const given = (raw: string) => JSON.stringify(raw);

/** A number from min to max; whole unless `fractions`. */
function bounded(fallback: number, min: number, max: number, about: string, fractions: boolean): Variable<number> {
  const pattern = fractions ? /^\d+(\.\d+)?$/ : /^\d+$/;
  return {
    shownDefault: String(fallback),
    about,
    read(raw, name) {
      if (raw === null) return fallback;
      const value = Number(raw);
      if (!pattern.test(raw) || !Number.isFinite(value) || (!fractions && !Number.isSafeInteger(value)) || value < min || value > max) {
        throw new ConfigError(`${name} must be a number from ${min} to ${max}${fractions ? ' (fractions allowed)' : ''}, got ${given(raw)}`);
      }
      return value;
    },
  };
}

function integer(fallback: number, min: number, max: number, about: string): Variable<number> {
  return bounded(fallback, min, max, about, false);
}

function flag(fallback: boolean, about: string): Variable<boolean> {
  return {
    shownDefault: fallback ? 'on' : 'off',
    about,
    read(raw, name) {
      if (raw === null) return fallback;
      const value = raw.toLowerCase();
      if (['1', 'on', 'true', 'yes'].includes(value)) return true;
      if (['0', 'off', 'false', 'no'].includes(value)) return false;
      throw new ConfigError(`${name} must be on or off, got ${given(raw)}`);
    },
  };
}

/** Free text (or a pattern it must match); null when unset. Secrets are never echoed back in the error. */
/** An IANA time zone the runtime knows (Intl refuses the rest). */
function timeZone(fallback: string, about: string): Variable<string> {
  return {
    shownDefault: fallback,
    about,
    read(raw, name) {
      const zone = raw ?? fallback;
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return zone;
      } catch {
        throw new ConfigError(`${name} must be an IANA time zone such as Europe/Warsaw, got ${given(zone)}`);
      }
    },
  };
}

function optionalText(shownDefault: string, about: string, check?: { pattern: RegExp; must: string; secret?: boolean }): Variable<string | null> {
  return {
    shownDefault,
    about,
    read(raw, name) {
      if (raw === null || !check || check.pattern.test(raw)) return raw;
      throw new ConfigError(`${name} must be ${check.must}${check.secret ? `, got ${raw.length} characters` : `, got ${given(raw)}`}`);
    },
  };
}

/** A connection string: checked by scheme; the error shows it with its password hidden. */
function uri(schemes: string, pattern: RegExp, about: string): Variable<string | null> {
  return {
    shownDefault: '(none)',
    about,
    read(raw, name) {
      if (raw === null || pattern.test(raw)) return raw;
      throw new ConfigError(`${name} must start with ${schemes}, got ${given(redactUri(raw))}`);
    },
  };
}

function httpUrl(fallback: string | null, shownDefault: string, about: string): Variable<string | null> {
  return {
    shownDefault,
    about,
    read(raw, name) {
      if (raw === null) return fallback;
      let url: URL | null = null;
      try {
        url = new URL(raw);
      } catch {
        url = null;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        throw new ConfigError(`${name} must be an http or https URL, got ${given(raw)}`);
      }
      return raw.replace(/\/+$/, '');
    },
  };
}

const MINUTES = /^\d+(\.\d+)?$/;

/** One positive minute count up to `max`, fractions allowed (0.1 = six seconds, for a browser test). */
function minutes(fallback: number, max: number, about: string): Variable<number> {
  return {
    shownDefault: String(fallback),
    about,
    read(raw, name) {
      if (raw === null) return fallback;
      const value = Number(raw);
      if (!MINUTES.test(raw) || !(value > 0) || value > max) {
        throw new ConfigError(`${name} must be a number of minutes above 0 and at most ${max} (fractions allowed), got ${given(raw)}`);
      }
      return value;
    },
  };
}

/** An amount such as SMSAPI points, fractions allowed. */
function decimal(fallback: number, min: number, max: number, about: string): Variable<number> {
  return bounded(fallback, min, max, about, true);
}

/** A comma list of distinct positive minute counts (fractions allowed), e.g. "5,15,60"; read ascending. */
function minuteChoices(fallback: number[], about: string): Variable<number[]> {
  return {
    shownDefault: fallback.join(','),
    about,
    read(raw, name) {
      if (raw === null) return fallback;
      const values = raw.split(',').map((entry) => entry.trim());
      const numbers = values.map(Number);
      const bad = values.find((entry, i) => !MINUTES.test(entry) || !((numbers[i] as number) > 0) || (numbers[i] as number) > 24 * 60);
      if (bad !== undefined || values.length > 6 || new Set(numbers).size !== numbers.length) {
        throw new ConfigError(
          `${name} must be a comma list of up to 6 different minute counts above 0 and at most 1440 (fractions allowed, e.g. 5,15,60), got ${given(raw)}`,
        );
      }
      return [...numbers].sort((a, b) => a - b);
    },
  };
}

/** A comma list of IPv4/IPv6 addresses or CIDR ranges, as Fastify's trustProxy (proxy-addr) takes them. */
function proxyList(about: string): Variable<string[]> {
  return {
    shownDefault: '(none)',
    about,
    read(raw, name) {
      if (raw === null) return [];
      return raw.split(',').map((entry) => {
        const item = entry.trim();
        const [address = '', prefix, extra] = item.split('/');
        const family = isIP(address);
        const maxPrefix = family === 6 ? 128 : 32;
        const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
        if (family === 0 || !prefixOk || extra !== undefined) {
          throw new ConfigError(`${name} must be a comma list of IP addresses or CIDR ranges (e.g. 10.0.0.1, 172.16.0.0/12), got ${given(item)}`);
        }
        return item;
      });
    },
  };
}

export const CONFIG_VARIABLES = {
  PORT: integer(3000, 1, 65535, 'HTTP port'),
  HOST: {
    shownDefault: '127.0.0.1',
    about: 'address to listen on (0.0.0.0 for all interfaces)',
    read(raw, name) {
      if (raw === null) return '127.0.0.1';
      if (!/^[A-Za-z0-9.:[\]-]+$/.test(raw)) throw new ConfigError(`${name} must be a host name or IP address, got ${given(raw)}`);
      return raw;
    },
  } satisfies Variable<string>,
  DATA_DIR: optionalText('./data', 'folder of the SQLite database file'),
  SQLITE_COMMIT_WINDOW_MS: integer(0, 0, 50, 'how long a message waits for others to share its SQLite commit (group commit); 0: those arriving in the same turn of the event loop'),
  PUBLIC_URL: httpUrl(null, '(none)', 'address users reach; sets the Secure cookie flag (https), the allowed Origin and the SMS delivery-report URL'),
  TRUSTED_PROXIES: proxyList('comma list of proxy addresses or CIDR ranges (10.0.0.0/8) whose X-Forwarded-For names the client; without it the connecting address counts'),
  SIGNIN_MAX_PENDING_CHECKS: integer(16, 1, 10_000, 'password checks in flight at once; more sign-ins get 503 with Retry-After'),
  MAX_SOCKETS_PER_EMPLOYEE: integer(20, 1, 100_000, 'open connections (tabs, devices) one employee may hold per server process'),
  MAX_GROUPS_PER_EMPLOYEE: integer(300, 1, 1_000_000, 'group conversations one employee may be a member of'),
  LOG_LEVEL: {
    shownDefault: 'info',
    about: 'fatal, error, warn, info, debug, trace or silent',
    read(raw, name) {
      const level = (raw ?? 'info').toLowerCase();
      if (!LOG_LEVELS.includes(level as LogLevel)) throw new ConfigError(`${name} must be one of ${LOG_LEVELS.join(', ')}, got ${given(raw ?? '')}`);
      return level as LogLevel;
    },
  } satisfies Variable<LogLevel>,
  DEMO_DIRECTORY: flag(true, 'on: load the demo company into an empty directory; off: never'),
  MESSAGE_MAX_LENGTH: integer(4000, 1, 20_000, 'longest message in characters'),
  SESSION_TTL_HOURS: integer(336, 1, 24 * 365, 'how long a sign-in lasts (14 days)'),
  RATE_LIMIT_MESSAGES_PER_MINUTE: integer(120, 1, 10_000_000, 'messages one employee may send per minute'),
  RATE_LIMIT_EVENTS_PER_MINUTE: integer(600, 1, 10_000_000, 'socket events one employee may send per minute'),
  MONGODB_URI: uri('mongodb:// or mongodb+srv://', /^mongodb(\+srv)?:\/\/./, 'use MongoDB instead of SQLite'),
  REDIS_URL: uri('redis:// or rediss://', /^rediss?:\/\/./, 'Socket.IO Redis adapter for several processes'),
  METRICS_TOKEN: optionalText(
    '(none)',
    'enables `GET /metrics` (Prometheus) for requests with `Authorization: Bearer <token>`; 16+ characters. Off: 404',
    { pattern: /^[\x21-\x7e]{16,}$/, must: 'at least 16 printable characters without spaces', secret: true },
  ),
  SMSAPI_TOKEN: optionalText('(none)', 'SMSAPI OAuth token; without it no SMS is sent'),
  SMSAPI_URL: httpUrl('https://api.smsapi.pl', 'https://api.smsapi.pl', 'SMSAPI base address'),
  SMSAPI_SENDER: optionalText('(account default)', 'sender name verified in the SMSAPI panel', {
    pattern: /^[A-Za-z0-9 .-]{1,11}$/,
    must: '1 to 11 characters of letters, digits, space, dot or dash',
  }),
  SMSAPI_TEST: flag(false, 'on: SMSAPI validates but does not send or charge'),
  SMSAPI_TIMEOUT_MS: integer(10_000, 100, 120_000, 'timeout of one request to SMSAPI'),
  SMSAPI_CALLBACK_SECRET: optionalText('(derived from the token)', 'secret in the delivery-report URL', {
    pattern: /^[A-Za-z0-9_-]{16,128}$/,
    must: '16 to 128 letters, digits, _ or -',
    secret: true,
  }),
  SMS_MAX_PARTS: integer(3, 1, 10, 'longest SMS in parts (1–10)'),
  SMS_NORMALIZE: flag(false, 'on: strip Polish diacritics so texts stay GSM-7'),
  SMS_MAX_ATTEMPTS: integer(5, 1, 20, 'attempts for a transient gateway failure'),
  SMS_LIMIT_SENDER_PER_HOUR: integer(30, 1, 100_000, 'SMS one sender may trigger per hour'),
  SMS_LIMIT_SENDER_PER_DAY: integer(200, 1, 1_000_000, 'SMS one sender may trigger per day'),
  SMS_LIMIT_RECIPIENT: integer(10, 1, 100_000, 'SMS one recipient may get per window'),
  SMS_MONTHLY_LIMIT: integer(0, 0, 10_000_000, 'SMS per calendar month for the whole company (server time zone); 0: no limit'),
  SMS_LIMIT_RECIPIENT_WINDOW_MINUTES: integer(10, 1, 24 * 60, 'the recipient window in minutes'),
  SMS_BALANCE_REFRESH_MINUTES: minutes(15, 24 * 60, 'minutes between readings of the SMSAPI balance (it is also read after sends)'),
  SMS_BALANCE_WARN_POINTS: decimal(0, 0, 1_000_000, 'admins are warned when the SMSAPI balance falls below this many points; 0: never'),
  SMS_IF_UNREAD_MINUTES: minuteChoices([5, 15, 60], 'the composer\'s "SMS if unread after N min" choices (up to 6, fractions allowed)'),
  ACK_REMINDER_MINUTES: minutes(5, 60, 'minutes between reminders to acknowledge a message (for at most an hour)'),
  TIME_ZONE: timeZone('Europe/Warsaw', 'the zone in which SMS templates write `{data}` and `{godzina}`, and employees\' working hours (quiet hours) are kept'),
  SMS_POINTS_PER_PART: decimal(0.16, 0, 100, 'SMSAPI points one SMS part costs, for the estimate shown before a bulk SMS'),
  BULK_SMS_MAX_RECIPIENTS: integer(200, 1, 100_000, 'recipients one bulk SMS may have'),
  BULK_SMS_PER_DAY: integer(1000, 0, 10_000_000, 'bulk SMS per calendar day for the whole company (server time zone); 0: no limit'),
  ATTACHMENT_MAX_MB: integer(25, 1, 2048, 'largest file attachment in MB (files are stored under DATA_DIR/files, or in GridFS with MongoDB)'),
} satisfies Record<string, Variable<unknown>>;

export type VariableName = keyof typeof CONFIG_VARIABLES;
export type VariableValues = { [K in VariableName]: ReturnType<(typeof CONFIG_VARIABLES)[K]['read']> };

/** Every variable read and checked; the first bad one throws a ConfigError naming it. */
export function readVariables(env: Record<string, string | undefined>): VariableValues {
  const values: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(CONFIG_VARIABLES) as Array<[VariableName, Variable<unknown>]>) {
    const raw = env[name]?.trim();
    values[name] = variable.read(raw === undefined || raw === '' ? null : raw, name);
  }
  return values as VariableValues;
}

/** The README's configuration table. */
export function configTable(): string {
  const rows = (Object.entries(CONFIG_VARIABLES) as Array<[string, Variable<unknown>]>).map(
    ([name, variable]) => `| \`${name}\` | ${variable.shownDefault} | ${variable.about} |`,
  );
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
