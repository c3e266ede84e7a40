/**
 * Schema step 6: a database file written before issue 10, holding every English sentence the old code could store
 * (dispatch reasons and notification texts), opens with those sentences turned into codes.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SmsReason } from '../../../../../shared/schemas/index.js';
import { migrate, schemaVersionOf, SCHEMA_VERSION } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';

/** Every reason sentence a released version could store, with the code it must become (attempts column = 4). */
const REASONS: Array<[string, SmsReason | null]> = [
  ['SMS sending is not configured', { code: 'not_configured' }],
  ['no mobile number in the directory', { code: 'no_mobile' }],
  ['the mobile number is marked private', { code: 'mobile_private' }],
  ['the mobile number in the directory is invalid', { code: 'mobile_invalid' }],
  ['sender limit reached (30 SMS per hour)', { code: 'sender_hour_limit', limit: 30 }],
  ['sender limit reached (200 SMS per day)', { code: 'sender_day_limit', limit: 200 }],
  ['recipient limit reached (10 SMS per 10 minutes)', { code: 'recipient_limit', limit: 10, windowMinutes: 10 }],
  ['recipient limit reached (3 SMS per minute)', { code: 'recipient_limit', limit: 3, windowMinutes: 1 }],
  ['too long for SMS (4 parts, limit 3)', { code: 'too_long', parts: 4, maxParts: 3 }],
  ['SMSAPI refused it — invalid or blacklisted number', { code: 'gateway_refused', gatewayCode: 13, refusal: 'invalid_number' }],
  ['SMSAPI refused it — the recipient has blocked or opted out of SMS', { code: 'gateway_refused', gatewayCode: 57, refusal: 'opted_out' }],
  ['SMSAPI refused it — not enough credit', { code: 'gateway_refused', gatewayCode: 103, refusal: 'no_credit' }],
  ['SMSAPI refused it — bad SMSAPI token or credentials', { code: 'gateway_refused', gatewayCode: 101, refusal: 'bad_credentials' }],
  ['SMSAPI refused it — sender name not valid', { code: 'gateway_refused', gatewayCode: 14, refusal: 'bad_sender' }],
  ['SMSAPI refused it — SMS service not enabled on the account', { code: 'gateway_refused', gatewayCode: 110, refusal: 'not_enabled' }],
  ['SMSAPI refused it — message empty or too long', { code: 'gateway_refused', gatewayCode: 11, refusal: 'bad_message' }],
  ['SMSAPI refused it — SMSAPI refused the message', { code: 'gateway_refused', gatewayCode: 0, refusal: 'other' }],
  ['SMSAPI refused it — SMSAPI answered HTTP 404', { code: 'gateway_refused', gatewayCode: 404, refusal: 'other' }],
  ['SMSAPI refused it — the mobile number is not in international format', { code: 'mobile_invalid' }],
  ['SMSAPI is temporarily unavailable', { code: 'gateway_retrying', attempts: 4, rateLimited: false }],
  ['SMSAPI is limiting how often this number can be texted', { code: 'gateway_retrying', attempts: 4, rateLimited: true }],
  ['SMSAPI did not answer in time', { code: 'gateway_retrying', attempts: 4, rateLimited: false }],
  ['SMSAPI could not be reached', { code: 'gateway_retrying', attempts: 4, rateLimited: false }],
  ['SMSAPI had a server error', { code: 'gateway_retrying', attempts: 4, rateLimited: false }],
  ['SMSAPI gave an answer we could not read', { code: 'gateway_retrying', attempts: 4, rateLimited: false }],
  ['SMSAPI could not be reached after 5 attempts (SMSAPI had a server error)', { code: 'unreachable', attempts: 5 }],
  ['SMSAPI did not confirm it after 5 attempts; it may still arrive', { code: 'unreachable', attempts: 5 }],
  ['SMSAPI lost track of the message', { code: 'delivery_failed', gatewayStatus: 'NOT_FOUND' }],
  ['the phone was unreachable until the message expired', { code: 'delivery_failed', gatewayStatus: 'EXPIRED' }],
  ['the network could not deliver it', { code: 'delivery_failed', gatewayStatus: 'UNDELIVERED' }],
  ['sending failed', { code: 'delivery_failed', gatewayStatus: 'FAILED' }],
  ['the network rejected it', { code: 'delivery_failed', gatewayStatus: 'REJECTED' }],
  ['delivery could not be confirmed', { code: 'delivery_failed', gatewayStatus: 'UNKNOWN' }],
  ['sending was stopped', { code: 'delivery_failed', gatewayStatus: 'STOP' }],
  ['something no version ever wrote', null],
];

describe('SQLite schema step 6: SMS sentences become codes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'depesza-migrate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rewrites every stored reason and notification text of a version 5 database', async () => {
    const file = join(dir, 'depesza.sqlite');
    const old = new Database(file);
    migrate(old, 5);
    const [anna, celina, ewa] = [randomUUID(), randomUUID(), randomUUID()];
    const employee = old.prepare(`INSERT INTO employees VALUES (?, ?, ?, NULL, 'employee', 1, NULL, NULL, 0, 'h', 1000, 1000)`);
    employee.run(anna, 'anna', 'Anna Kowalska');
    employee.run(celina, 'celina', 'Celina Wiśniewska');
    employee.run(ewa, 'ewa', 'Ewa Lewandowska');
    const conversationId = randomUUID();
    old.prepare(`INSERT INTO conversations VALUES (?, 'group', 'g', NULL, ?, 1000, 2, 1000)`).run(conversationId, anna);
    const [group, single] = [randomUUID(), randomUUID()];
    const message = old.prepare(`INSERT INTO messages (conversation_id, seq, id, sender_id, client_id, text, created_at, notify_sms)
                                 VALUES (?, ?, ?, ?, ?, 'Pilne', 1000, 1)`);
    message.run(conversationId, 1, group, anna, 'c1');
    message.run(conversationId, 2, single, anna, 'c2');
    const dispatch = old.prepare(`INSERT INTO sms_dispatches VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 'Pilne', NULL, NULL, NULL, 4, NULL, NULL, 1000, 1000)`);
    const ids = REASONS.map(([sentence]) => {
      const id = randomUUID();
      dispatch.run(id, single, conversationId, anna, ewa, 'not_sent', sentence);
      return id;
    });
    const sent = randomUUID();
    dispatch.run(sent, single, conversationId, anna, ewa, 'sent', null);
    dispatch.run(randomUUID(), group, conversationId, anna, celina, 'not_sent', 'the mobile number is marked private');
    dispatch.run(randomUUID(), group, conversationId, anna, ewa, 'not_sent', 'no mobile number in the directory');

    const notification = old.prepare(`INSERT INTO notifications VALUES (?, ?, 'sms', ?, ?, ?, ?, NULL)`);
    const texts: Array<[string, string | null, number]> = [
      ['SMS to Celina Wiśniewska not sent: the mobile number is marked private', group, 1],
      ['SMS to Ewa Lewandowska not sent: no mobile number in the directory', group, 2],
      ['SMS to Ewa Lewandowska sent', single, 3],
      ['SMS to Ewa Lewandowska delivered', single, 4],
      ['SMS to Ewa Lewandowska not delivered: the phone was unreachable until the message expired', single, 5],
      ['SMS to Ewa Lewandowska not delivered: failed', single, 6],
      ['SMS to Ewa Lewandowska not confirmed: SMSAPI did not confirm it after 5 attempts; it may still arrive', single, 7],
      ['SMS to Ewa Lewandowska not sent: unknown reason', single, 8],
      // Not about an SMS this database knows: dropped rather than shown in English.
      ['SMS to Nobody Known sent', group, 9],
      ['SMS to Ewa Lewandowska sent', null, 10],
    ];
    for (const [text, messageId, minute] of texts) {
      notification.run(randomUUID(), anna, text, messageId, messageId === null ? null : conversationId, minute * 60_000);
    }
    old.close();

    const store = await openSqliteStore({ file });
    try {
      const dispatches = new Map((await store.sms.listForMessages([single, group])).map((d) => [d.id, d]));
      REASONS.forEach(([sentence, reason], i) => expect(dispatches.get(ids[i] as string)?.reason, sentence).toEqual(reason));
      expect(dispatches.get(sent)?.reason).toBeNull();

      const listed = await store.notifications.list(anna, 100);
      expect(listed.map((n) => [n.recipientName, n.recipientId, n.status, n.reason, n.kind]).reverse()).toEqual([
        ['Celina Wiśniewska', celina, 'not_sent', { code: 'mobile_private' }, 'sms_outcome'],
        ['Ewa Lewandowska', ewa, 'not_sent', { code: 'no_mobile' }, 'sms_outcome'],
        ['Ewa Lewandowska', ewa, 'sent', null, 'sms_outcome'],
        ['Ewa Lewandowska', ewa, 'delivered', null, 'sms_outcome'],
        ['Ewa Lewandowska', ewa, 'expired', { code: 'delivery_failed', gatewayStatus: 'EXPIRED' }, 'sms_outcome'],
        ['Ewa Lewandowska', ewa, 'failed', null, 'sms_outcome'],
        ['Ewa Lewandowska', ewa, 'unconfirmed', { code: 'unreachable', attempts: 5 }, 'sms_outcome'],
        ['Ewa Lewandowska', ewa, 'not_sent', null, 'sms_outcome'],
      ]);
      expect(await store.notifications.countUnread(anna)).toBe(8);
    } finally {
      await store.close();
    }
    const reopened = new Database(file);
    expect(schemaVersionOf(reopened)).toBe(SCHEMA_VERSION);
    reopened.close();
  });
});
