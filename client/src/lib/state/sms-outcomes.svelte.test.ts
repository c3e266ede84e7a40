import { describe, expect, it } from 'vitest';
import type { SmsOutcomeView } from '../contract.js';
import { MAX_ALERTS, SmsOutcomes } from './sms-outcomes.svelte.js';

let clock = 0;
function outcome(recipientId: string, status: SmsOutcomeView['status'], reason: SmsOutcomeView['reason'] = null): SmsOutcomeView {
  clock += 1;
  return { id: `d-${recipientId}`, recipientId, recipientName: recipientId, status, reason, updatedAt: new Date(clock * 1000).toISOString() };
}

describe('SmsOutcomes', () => {
  it('keeps one summary per message, updated in place as reports arrive', () => {
    const sms = new SmsOutcomes();
    sms.seed('m1', 'c1', [outcome('bartek', 'queued'), outcome('darek', 'queued')]);
    sms.apply('m1', 'c1', outcome('bartek', 'sent'));
    sms.apply('m1', 'c1', outcome('bartek', 'delivered'));
    expect(sms.outcomes('m1').map((o) => [o.recipientId, o.status])).toEqual([
      ['bartek', 'delivered'],
      ['darek', 'queued'],
    ]);
    expect(sms.alerts).toEqual([]);
  });

  it('raises one alert per urgent message for failures, however many recipients fail', () => {
    const sms = new SmsOutcomes();
    for (const who of ['celina', 'ewa', 'filip']) sms.apply('m1', 'c1', outcome(who, 'not_sent', { code: 'no_mobile' }));
    sms.apply('m1', 'c1', outcome('bartek', 'sent'));
    expect(sms.alerts).toHaveLength(1);
    expect(sms.alerts[0]?.outcomes).toHaveLength(4);
    expect(sms.alerts[0]?.conversationId).toBe('c1');
  });

  it('does not alert for what history already held, nor again after a dismiss', () => {
    const sms = new SmsOutcomes();
    sms.seed('m1', 'c1', [outcome('celina', 'not_sent', { code: 'mobile_private' })]);
    expect(sms.alerts).toEqual([]);
    sms.apply('m2', 'c1', outcome('celina', 'not_sent', { code: 'mobile_private' }));
    sms.dismiss('m2');
    sms.apply('m2', 'c1', outcome('darek', 'undelivered', { code: 'delivery_failed', gatewayStatus: 'EXPIRED' }));
    expect(sms.alerts).toEqual([]);
  });

  it('ignores a late, older report for the same recipient', () => {
    const sms = new SmsOutcomes();
    const sent = outcome('bartek', 'sent');
    sms.apply('m1', 'c1', outcome('bartek', 'delivered'));
    sms.apply('m1', 'c1', sent);
    expect(sms.outcomes('m1')[0]?.status).toBe('delivered');
  });

  it('shows the newest few messages only', () => {
    const sms = new SmsOutcomes();
    for (let i = 0; i < MAX_ALERTS + 2; i++) sms.apply(`m${i}`, 'c1', outcome('celina', 'not_sent'));
    expect(sms.alerts.map((a) => a.messageId)).toEqual(['m4', 'm3', 'm2']);
    sms.reset();
    expect(sms.alerts).toEqual([]);
    expect(sms.outcomes('m4')).toEqual([]);
  });
});
