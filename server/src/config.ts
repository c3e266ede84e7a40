/**
 * Environment → typed, validated configuration, read once at start. Every problem names the variable, says what
 * is wrong and what was given, on one line; main.ts prints it and exits non-zero. The variables themselves
 * (defaults, checks, README wording) are in config-variables.ts; this file shapes them for the code.
 */
import path from 'node:path';
import { readVariables, type LogLevel } from './config-variables.js';

export { ConfigError, type LogLevel } from './config-variables.js';

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
  /** SMS_MONTHLY_LIMIT; 0: none. */
  monthlyLimit: number;
  balanceRefreshMinutes: number;
  /** SMS_BALANCE_WARN_POINTS; 0: no warning. */
  balanceWarnPoints: number;
  recipientPerWindow: number;
  recipientWindowMinutes: number;
  /** Secret path segment of the delivery-report URL SMSAPI calls. */
  callbackSecret: string | null;
  /** The composer's "SMS if unread after N min" choices, ascending; fractions allowed (tests use seconds). */
  ifUnreadMinutes: number[];
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Group commit of the SQLite store: how long the first append of a batch waits for others, in ms. */
  sqliteCommitWindowMs: number;
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
  /** Minutes between reminders to acknowledge a message (for at most an hour); fractions allowed. */
  ackReminderMinutes: number;
  /** IANA zone of SMS templates' {data} and {godzina}. */
  timeZone: string;
  /** Bulk SMS from the Directory (issue 13). */
  bulkSms: { maxRecipients: number; perDay: number; pointsPerPart: number };
  /** The largest attachment in bytes (ATTACHMENT_MAX_MB). */
  attachmentMaxBytes: number;
  sms: SmsConfig;
}

export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const v = readVariables(env);
  return {
    port: v.PORT,
    host: v.HOST,
    dataDir: path.resolve(cwd, v.DATA_DIR ?? './data'),
    sqliteCommitWindowMs: v.SQLITE_COMMIT_WINDOW_MS,
    publicUrl: v.PUBLIC_URL,
    trustedProxies: v.TRUSTED_PROXIES,
    signInMaxPendingChecks: v.SIGNIN_MAX_PENDING_CHECKS,
    socketsPerEmployee: v.MAX_SOCKETS_PER_EMPLOYEE,
    groupsPerEmployee: v.MAX_GROUPS_PER_EMPLOYEE,
    logLevel: v.LOG_LEVEL,
    demoDirectory: v.DEMO_DIRECTORY,
    messageMaxLength: v.MESSAGE_MAX_LENGTH,
    sessionTtlHours: v.SESSION_TTL_HOURS,
    messagesPerMinute: v.RATE_LIMIT_MESSAGES_PER_MINUTE,
    eventsPerMinute: v.RATE_LIMIT_EVENTS_PER_MINUTE,
    mongodbUri: v.MONGODB_URI,
    redisUrl: v.REDIS_URL,
    metricsToken: v.METRICS_TOKEN,
    ackReminderMinutes: v.ACK_REMINDER_MINUTES,
    timeZone: v.TIME_ZONE,
    attachmentMaxBytes: v.ATTACHMENT_MAX_MB * 1024 * 1024,
    bulkSms: { maxRecipients: v.BULK_SMS_MAX_RECIPIENTS, perDay: v.BULK_SMS_PER_DAY, pointsPerPart: v.SMS_POINTS_PER_PART },
    sms: {
      token: v.SMSAPI_TOKEN,
      baseUrl: v.SMSAPI_URL ?? 'https://api.smsapi.pl',
      sender: v.SMSAPI_SENDER,
      test: v.SMSAPI_TEST,
      maxParts: v.SMS_MAX_PARTS,
      normalize: v.SMS_NORMALIZE,
      timeoutMs: v.SMSAPI_TIMEOUT_MS,
      maxAttempts: v.SMS_MAX_ATTEMPTS,
      senderPerHour: v.SMS_LIMIT_SENDER_PER_HOUR,
      senderPerDay: v.SMS_LIMIT_SENDER_PER_DAY,
      recipientPerWindow: v.SMS_LIMIT_RECIPIENT,
      monthlyLimit: v.SMS_MONTHLY_LIMIT,
      balanceRefreshMinutes: v.SMS_BALANCE_REFRESH_MINUTES,
      balanceWarnPoints: v.SMS_BALANCE_WARN_POINTS,
      recipientWindowMinutes: v.SMS_LIMIT_RECIPIENT_WINDOW_MINUTES,
      callbackSecret: v.SMSAPI_CALLBACK_SECRET,
      ifUnreadMinutes: v.SMS_IF_UNREAD_MINUTES,
    },
  };
}
