/**
 * Environment → typed, validated configuration, read once at start. Every problem names the variable, says what
 * is wrong and what was given, on one line; main.ts prints it and exits non-zero.
 */
import { isIP } from 'node:net';
import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface SmsConfig {
  /** Null when SMS is not configured (no SMSAPI_TOKEN): every SMS is "not sent" with that reason. */
  token: string | null;
  baseUrl: string;
  sender: string | null;
  test: boolean;
  maxParts: number;
  normalize: boolean;
  timeoutMs: number;
  maxAttempts: number;
  senderPerHour: number;
  senderPerDay: number;
  recipientPerWindow: number;
  recipientWindowMinutes: number;
  /** Secret path segment of the delivery-report URL SMSAPI calls. */
  callbackSecret: string | null;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string | null;
  /** Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed; empty: none. */
  trustedProxies: string[];
  /** Password checks (sign-in) hashing or queued for the hash pool at once; beyond it sign-in answers 503. */
  signInMaxPendingChecks: number;
  /** Open sockets one employee may hold on one process. */
  socketsPerEmployee: number;
  /** Group conversations one employee may be a member of. */
  groupsPerEmployee: number;
  logLevel: LogLevel;
  demoDirectory: boolean;
  messageMaxLength: number;
  sessionTtlHours: number;
  /** Flood limits per employee, over all their devices. */
  messagesPerMinute: number;
  eventsPerMinute: number;
  mongodbUri: string | null;
  redisUrl: string | null;
  /** Bearer token of GET /metrics; null: no /metrics at all. */
  metricsToken: string | null;
  sms: SmsConfig;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Every variable Depesza reads, with its default, for the README and for `--help`. */
export const CONFIG_VARIABLES: Array<{ name: string; default: string; description: string }> = [
  { name: 'PORT', default: '3000', description: 'HTTP port' },
  { name: 'HOST', default: '127.0.0.1', description: 'address to listen on (0.0.0.0 for all interfaces)' },
  { name: 'DATA_DIR', default: './data', description: 'folder of the SQLite database file' },
  { name: 'PUBLIC_URL', default: '(none)', description: 'address users reach; sets the Secure cookie flag (https), the allowed Origin and the SMS delivery-report URL' },
  { name: 'TRUSTED_PROXIES', default: '(none)', description: 'comma list of proxy addresses or CIDR ranges (10.0.0.0/8) whose X-Forwarded-For names the client; without it the connecting address counts' },
  { name: 'SIGNIN_MAX_PENDING_CHECKS', default: '16', description: 'password checks in flight at once; more sign-ins get 503 with Retry-After' },
  { name: 'MAX_SOCKETS_PER_EMPLOYEE', default: '20', description: 'open connections (tabs, devices) one employee may hold per server process' },
  { name: 'MAX_GROUPS_PER_EMPLOYEE', default: '300', description: 'group conversations one employee may be a member of' },
  { name: 'LOG_LEVEL', default: 'info', description: 'fatal, error, warn, info, debug, trace or silent' },
  { name: 'DEMO_DIRECTORY', default: 'on', description: 'on: load the demo company into an empty directory; off: never' },
  { name: 'MESSAGE_MAX_LENGTH', default: '4000', description: 'longest message in characters' },
  { name: 'SESSION_TTL_HOURS', default: '336', description: 'how long a sign-in lasts (14 days)' },
  { name: 'RATE_LIMIT_MESSAGES_PER_MINUTE', default: '120', description: 'messages one employee may send per minute' },
  { name: 'RATE_LIMIT_EVENTS_PER_MINUTE', default: '600', description: 'socket events one employee may send per minute' },
  { name: 'MONGODB_URI', default: '(none)', description: 'use MongoDB instead of SQLite' },
  { name: 'REDIS_URL', default: '(none)', description: 'Socket.IO Redis adapter for several processes' },
  { name: 'METRICS_TOKEN', default: '(none)', description: 'enables GET /metrics (Prometheus) for requests with `Authorization: Bearer <token>`; 16+ characters' },
  { name: 'SMSAPI_TOKEN', default: '(none)', description: 'SMSAPI OAuth token; without it no SMS is sent' },
  { name: 'SMSAPI_URL', default: 'https://api.smsapi.pl', description: 'SMSAPI base address' },
  { name: 'SMSAPI_SENDER', default: '(account default)', description: 'sender name verified in the SMSAPI panel' },
  { name: 'SMSAPI_TEST', default: 'off', description: 'on: SMSAPI validates but does not send or charge' },
  { name: 'SMSAPI_TIMEOUT_MS', default: '10000', description: 'timeout of one request to SMSAPI' },
  { name: 'SMSAPI_CALLBACK_SECRET', default: '(derived from the token)', description: 'secret in the delivery-report URL' },
  { name: 'SMS_MAX_PARTS', default: '3', description: 'longest SMS in parts (1–10)' },
  { name: 'SMS_NORMALIZE', default: 'off', description: 'on: strip Polish diacritics so texts stay GSM-7' },
  { name: 'SMS_MAX_ATTEMPTS', default: '5', description: 'attempts for a transient gateway failure' },
  { name: 'SMS_LIMIT_SENDER_PER_HOUR', default: '30', description: 'SMS one sender may trigger per hour' },
  { name: 'SMS_LIMIT_SENDER_PER_DAY', default: '200', description: 'SMS one sender may trigger per day' },
  { name: 'SMS_LIMIT_RECIPIENT', default: '10', description: 'SMS one recipient may get per window' },
  { name: 'SMS_LIMIT_RECIPIENT_WINDOW_MINUTES', default: '10', description: 'the recipient window in minutes' },
];

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim().toLowerCase();
  if (['1', 'on', 'true', 'yes'].includes(value)) return true;
  if (['0', 'off', 'false', 'no'].includes(value)) return false;
  throw new ConfigError(`${name} must be on or off, got ${JSON.stringify(raw)}`);
}

function text(env: Env, name: string): string | null {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? null : raw.trim();
}

function httpUrl(env: Env, name: string, fallback: string | null): string | null {
  const raw = text(env, name);
  if (raw === null) return fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http or https URL, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http or https URL, got ${JSON.stringify(raw)}`);
  }
  return raw.replace(/\/+$/, '');
}

/** A comma list of IPv4/IPv6 addresses or CIDR ranges, as Fastify's trustProxy (proxy-addr) takes them. */
function proxyList(env: Env, name: string): string[] {
  const raw = text(env, name);
  if (raw === null) return [];
  return raw.split(',').map((entry) => {
    const item = entry.trim();
    const [address = '', prefix, extra] = item.split('/');
    const family = isIP(address);
    const maxPrefix = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (family === 0 || !prefixOk || extra !== undefined) {
      throw new ConfigError(`${name} must be a comma list of IP addresses or CIDR ranges (e.g. 10.0.0.1, 172.16.0.0/12), got ${JSON.stringify(item)}`);
    }
    return item;
  });
}

/** The host part of a connection string without credentials, for error messages that must not leak a password. */
export function redactUri(uri: string): string {
  // Also without a scheme (the very mistake being reported) and with an unescaped "@" or "/" in the password.
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(uri)?.[0] ?? '';
  const rest = uri.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  return at < 0 ? uri : `${scheme}***@${rest.slice(at + 1)}`;
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const logLevel = (text(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`);
  }
  const host = text(env, 'HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) {
    throw new ConfigError(`HOST must be a host name or IP address, got ${JSON.stringify(env.HOST)}`);
  }
  const mongodbUri = text(env, 'MONGODB_URI');
  if (mongodbUri !== null && !/^mongodb(\+srv)?:\/\/./.test(mongodbUri)) {
    throw new ConfigError(`MONGODB_URI must start with mongodb:// or mongodb+srv://, got ${JSON.stringify(redactUri(mongodbUri))}`);
  }
  const metricsToken = text(env, 'METRICS_TOKEN');
  if (metricsToken !== null && !/^[\x21-\x7e]{16,}$/.test(metricsToken)) {
    // The token itself is never echoed: it is a secret.
    throw new ConfigError(`METRICS_TOKEN must be at least 16 printable characters without spaces, got ${metricsToken.length} characters`);
  }
  const redisUrl = text(env, 'REDIS_URL');
  if (redisUrl !== null && !/^rediss?:\/\/./.test(redisUrl)) {
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, got ${JSON.stringify(redactUri(redisUrl))}`);
  }
  const sender = text(env, 'SMSAPI_SENDER');
  if (sender !== null && !/^[A-Za-z0-9 .-]{1,11}$/.test(sender)) {
    throw new ConfigError(`SMSAPI_SENDER must be 1 to 11 characters of letters, digits, space, dot or dash, got ${JSON.stringify(sender)}`);
  }
  const token = text(env, 'SMSAPI_TOKEN');
  const callbackSecret = text(env, 'SMSAPI_CALLBACK_SECRET');
  if (callbackSecret !== null && !/^[A-Za-z0-9_-]{16,128}$/.test(callbackSecret)) {
    throw new ConfigError('SMSAPI_CALLBACK_SECRET must be 16 to 128 letters, digits, _ or -');
  }
  const rawDemo = text(env, 'DEMO_DIRECTORY');
  return {
    port: integer(env, 'PORT', 3000, 1, 65535),
    host,
    dataDir: path.resolve(cwd, text(env, 'DATA_DIR') ?? './data'),
    publicUrl: httpUrl(env, 'PUBLIC_URL', null),
    trustedProxies: proxyList(env, 'TRUSTED_PROXIES'),
    signInMaxPendingChecks: integer(env, 'SIGNIN_MAX_PENDING_CHECKS', 16, 1, 10_000),
    socketsPerEmployee: integer(env, 'MAX_SOCKETS_PER_EMPLOYEE', 20, 1, 100_000),
    groupsPerEmployee: integer(env, 'MAX_GROUPS_PER_EMPLOYEE', 300, 1, 1_000_000),
    logLevel: logLevel as LogLevel,
    demoDirectory: rawDemo === null ? true : flag(env, 'DEMO_DIRECTORY', true),
    messageMaxLength: integer(env, 'MESSAGE_MAX_LENGTH', 4000, 1, 20_000),
    sessionTtlHours: integer(env, 'SESSION_TTL_HOURS', 336, 1, 24 * 365),
    messagesPerMinute: integer(env, 'RATE_LIMIT_MESSAGES_PER_MINUTE', 120, 1, 10_000_000),
    eventsPerMinute: integer(env, 'RATE_LIMIT_EVENTS_PER_MINUTE', 600, 1, 10_000_000),
    mongodbUri,
    redisUrl,
    metricsToken,
    sms: {
      token,
      baseUrl: httpUrl(env, 'SMSAPI_URL', 'https://api.smsapi.pl') as string,
      sender,
      test: flag(env, 'SMSAPI_TEST', false),
      maxParts: integer(env, 'SMS_MAX_PARTS', 3, 1, 10),
      normalize: flag(env, 'SMS_NORMALIZE', false),
      timeoutMs: integer(env, 'SMSAPI_TIMEOUT_MS', 10_000, 100, 120_000),
      maxAttempts: integer(env, 'SMS_MAX_ATTEMPTS', 5, 1, 20),
      senderPerHour: integer(env, 'SMS_LIMIT_SENDER_PER_HOUR', 30, 1, 100_000),
      senderPerDay: integer(env, 'SMS_LIMIT_SENDER_PER_DAY', 200, 1, 1_000_000),
      recipientPerWindow: integer(env, 'SMS_LIMIT_RECIPIENT', 10, 1, 100_000),
      recipientWindowMinutes: integer(env, 'SMS_LIMIT_RECIPIENT_WINDOW_MINUTES', 10, 1, 24 * 60),
      callbackSecret,
    },
  };
}
