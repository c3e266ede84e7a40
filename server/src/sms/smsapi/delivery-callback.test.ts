import { describe, expect, it } from 'vitest';
import type { SmsStatus } from '../../../../shared/schemas/index.js';
import { canTransition, isFinal, statusAfterReport } from '../status.js';
import { mapSmsapiStatus, parseDeliveryReports, smsapiReportStatuses } from './delivery-callback.js';

const ALL: SmsStatus[] = ['not_sent', 'queued', 'unconfirmed', 'sent', 'delivered', 'undelivered', 'failed', 'expired'];

describe('mapSmsapiStatus', () => {
  it('maps every SMSAPI status by code and by name', () => {
    const expected: Record<number, SmsStatus> = {
      401: 'failed',
      402: 'expired',
      403: 'sent',
      404: 'delivered',
      405: 'undelivered',
      406: 'failed',
      407: 'failed',
      408: 'undelivered',
      409: 'queued',
      410: 'queued',
      411: 'queued',
      412: 'failed',
    };
    for (const entry of smsapiReportStatuses) {
      expect(mapSmsapiStatus(entry.code)).toBe(expected[entry.code]);
      expect(mapSmsapiStatus(String(entry.code))).toBe(expected[entry.code]);
      expect(mapSmsapiStatus(entry.name.toLowerCase())).toBe(expected[entry.code]);
    }
    expect(smsapiReportStatuses).toHaveLength(12);
  });

  it('agrees with SMSAPI on which statuses are final', () => {
    for (const entry of smsapiReportStatuses) {
      const smsapiFinal = ![403, 409, 410, 411].includes(entry.code);
      expect(isFinal(entry.status)).toBe(smsapiFinal);
      // Only an outcome that did not reach the phone needs a reason for the sender, and it names SMSAPI's status.
      expect(entry.failure).toBe(!isFinal(entry.status) || entry.status === 'delivered' ? null : entry.name);
    }
  });

  it('returns null for unknown statuses', () => {
    for (const value of [400, 413, '', 'BOGUS', '40 4', -1]) expect(mapSmsapiStatus(value)).toBeNull();
  });
});

describe('isFinal and canTransition', () => {
  it('knows the final statuses', () => {
    expect(ALL.filter(isFinal)).toEqual(['delivered', 'undelivered', 'failed', 'expired']);
  });

  it('moves only forward: queued → sent → a final outcome', () => {
    expect(canTransition('queued', 'sent')).toBe(true);
    expect(canTransition('queued', 'delivered')).toBe(true);
    expect(canTransition('sent', 'delivered')).toBe(true);
    expect(canTransition('sent', 'undelivered')).toBe(true);
    expect(canTransition('sent', 'expired')).toBe(true);
    expect(canTransition('sent', 'queued')).toBe(false);
  });

  it('lets only a dispatch no attempt of which may have been accepted become not_sent', () => {
    expect(canTransition('queued', 'not_sent')).toBe(true);
    // A refused retry says nothing about the timed-out attempt before it: a later DELIVERED must still count.
    expect(canTransition('unconfirmed', 'not_sent')).toBe(false);
    expect(canTransition('sent', 'not_sent')).toBe(false);
  });

  it('moves an unconfirmed dispatch on once SMSAPI shows it has it, never back to queued', () => {
    expect(canTransition('queued', 'unconfirmed')).toBe(true);
    expect(canTransition('unconfirmed', 'sent')).toBe(true);
    expect(canTransition('unconfirmed', 'delivered')).toBe(true);
    expect(canTransition('unconfirmed', 'undelivered')).toBe(true);
    expect(canTransition('unconfirmed', 'queued')).toBe(false);
    expect(canTransition('sent', 'unconfirmed')).toBe(false);
    // A QUEUE/ACCEPTED report is proof enough that an unconfirmed SMS was sent; for others it means what it says.
    expect(statusAfterReport('unconfirmed', 'queued')).toBe('sent');
    expect(statusAfterReport('queued', 'queued')).toBe('queued');
    expect(statusAfterReport('unconfirmed', 'delivered')).toBe('delivered');
  });

  it('never moves a final or not_sent status, and ignores repeats', () => {
    for (const from of ALL.filter((status) => isFinal(status) || status === 'not_sent')) {
      for (const to of ALL) expect(canTransition(from, to)).toBe(false);
    }
    for (const status of ALL) expect(canTransition(status, status)).toBe(false);
  });
});

describe('parseDeliveryReports', () => {
  it('reads a single report', () => {
    const reports = parseDeliveryReports({
      MsgId: '6124CC3C3463351AD569127F',
      status: '404',
      status_name: 'DELIVERED',
      idx: 'disp-1',
      donedate: '1598964973',
      username: 'user',
      points: '0.16',
      to: '48500600700',
      mcc: '260',
      mnc: '2',
    });
    expect(reports).toEqual([
      {
        msgId: '6124CC3C3463351AD569127F',
        status: 'delivered',
        failure: null,
        statusCode: 404,
        statusName: 'DELIVERED',
        idx: 'disp-1',
        doneAt: new Date(1598964973 * 1000),
        points: 0.16,
      },
    ]);
  });

  it('reads a batch of comma-separated reports in order', () => {
    const reports = parseDeliveryReports({
      MsgId: 'AAA,BBB,CCC',
      status: '403,405,402',
      status_name: 'SENT,UNDELIVERED,EXPIRED',
      idx: 'a,b,c',
      donedate: '1,2,3',
      points: '0.16,0.32,0',
    });
    expect(reports.map((r) => [r.msgId, r.status, r.idx, r.doneAt?.getTime(), r.points])).toEqual([
      ['AAA', 'sent', 'a', 1000, 0.16],
      ['BBB', 'undelivered', 'b', 2000, 0.32],
      ['CCC', 'expired', 'c', 3000, 0],
    ]);
  });

  it('reads repeated parameters like a comma-separated list', () => {
    const reports = parseDeliveryReports({ MsgId: ['AAA', 'BBB'], status: ['404', '406'], idx: ['a', 'b'] });
    expect(reports.map((r) => [r.msgId, r.status, r.idx])).toEqual([
      ['AAA', 'delivered', 'a'],
      ['BBB', 'failed', 'b'],
    ]);
  });

  it('falls back to status_name when status is missing or unreadable', () => {
    expect(parseDeliveryReports({ MsgId: 'AAA', status_name: 'DELIVERED' })[0]?.status).toBe('delivered');
    expect(parseDeliveryReports({ MsgId: 'AAA', status: 'x', status_name: 'SENT' })[0]?.status).toBe('sent');
  });

  it('drops entries without a usable id or status and keeps the rest', () => {
    const reports = parseDeliveryReports({
      MsgId: 'AAA,,<script>,DDD,EEE',
      status: '404,404,404,999,405',
      idx: 'a,b,c,d,e',
    });
    expect(reports.map((r) => [r.msgId, r.status, r.idx])).toEqual([
      ['AAA', 'delivered', 'a'],
      ['EEE', 'undelivered', 'e'],
    ]);
  });

  it('ignores a list whose length does not match MsgId rather than misassigning it', () => {
    expect(parseDeliveryReports({ MsgId: 'AAA,BBB', status: '404' })).toEqual([]);
    const reports = parseDeliveryReports({ MsgId: 'AAA,BBB', status: '404,405', idx: 'only-one', points: '1' });
    expect(reports.map((r) => [r.msgId, r.idx, r.points])).toEqual([
      ['AAA', null, null],
      ['BBB', null, null],
    ]);
  });

  it('leaves unreadable optional fields null', () => {
    const [report] = parseDeliveryReports({ MsgId: 'AAA', status: '404', idx: '', donedate: 'soon', points: '-1' });
    expect(report).toMatchObject({ idx: null, doneAt: null, points: null });
  });

  it('returns nothing for garbage', () => {
    expect(parseDeliveryReports({})).toEqual([]);
    expect(parseDeliveryReports({ status: '404' })).toEqual([]);
    expect(parseDeliveryReports({ MsgId: '', status: '' })).toEqual([]);
    expect(parseDeliveryReports({ MsgId: 'AAA', status: undefined })).toEqual([]);
    expect(parseDeliveryReports({ MsgId: ',,,', status: ',,,' })).toEqual([]);
    expect(parseDeliveryReports({ MsgId: 'A'.repeat(65), status: '404' })).toEqual([]);
  });

  it('caps how many reports one call can carry', () => {
    const n = 1500;
    const reports = parseDeliveryReports({
      MsgId: Array.from({ length: n }, (_, i) => `M${i}`).join(','),
      status: Array.from({ length: n }, () => '404').join(','),
    });
    expect(reports).toHaveLength(1000);
  });
});
