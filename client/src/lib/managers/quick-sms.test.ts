import { describe, expect, it } from 'vitest';
import type { SmsPreview } from '../../../../shared/schemas/index.js';
import type { SendExtras } from '../logic/outbox.js';
import { QuickSms, type QuickSmsParts } from './quick-sms.svelte.js';

/** A server in memory: direct conversations by colleague, previews by conversation, and what was sent. */
class FakeServer implements QuickSmsParts {
  opened: string[] = [];
  sent: Array<{ conversationId: string; text: string; extras?: SendExtras }> = [];
  previews = new Map<string, SmsPreview>();
  /** A preview held until released, to let a newer check overtake it. */
  held = new Map<string, () => void>();

  async openDirect(employeeId: string) {
    this.opened.push(employeeId);
    return { id: `direct-${employeeId}` };
  }
  async preview(conversationId: string): Promise<SmsPreview> {
    const hold = this.held.has(conversationId) ? new Promise<void>((resolve) => this.held.set(conversationId, resolve)) : null;
    if (hold) await hold;
    const found = this.previews.get(conversationId);
    if (!found) throw new Error(`no preview for ${conversationId}`);
    return found;
  }
  send(conversationId: string, text: string, extras: SendExtras) {
    if (!text.trim()) return false;
    this.sent.push({ conversationId, text, ...(Object.keys(extras).length > 0 ? { extras } : {}) });
    return true;
  }
}

const reach = (employeeId: string, name: string, canReceive = true) => ({
  employeeId,
  name,
  canReceive,
  reason: canReceive ? null : ({ code: 'no_mobile' } as const),
});

describe('QuickSms', () => {
  it('merges the previews of every target, each person once', async () => {
    const server = new FakeServer();
    server.previews.set('direct-b', { recipients: [reach('b', 'Bartek')] });
    server.previews.set('g1', { recipients: [reach('b', 'Bartek'), reach('e', 'Ewa', false)] });
    const quick = new QuickSms(server);
    quick.add({ kind: 'person', id: 'b', name: 'Bartek' });
    quick.add({ kind: 'group', id: 'g1', name: 'Magazyn' });
    quick.add({ kind: 'person', id: 'b', name: 'Bartek' });
    await quick.check();
    expect(quick.preview?.map((r) => [r.name, r.canReceive])).toEqual([
      ['Bartek', true],
      ['Ewa', false],
    ]);
    expect(quick.checking).toBe(false);
    // The direct conversation is found once, however often the preview is asked for.
    await quick.check();
    expect(server.opened).toEqual(['b']);
  });

  it('sends each target its own text in its own conversation, then shows where', async () => {
    const server = new FakeServer();
    const quick = new QuickSms(server);
    quick.add({ kind: 'person', id: 'b', name: 'Bartek' });
    quick.add({ kind: 'person', id: 'c', name: 'Celina' });
    quick.add({ kind: 'group', id: 'g1', name: 'Magazyn' });
    const sent = await quick.send((t) => `Cześć ${t.name}`);
    expect(server.sent).toEqual([
      { conversationId: 'direct-b', text: 'Cześć Bartek' },
      { conversationId: 'direct-c', text: 'Cześć Celina' },
      { conversationId: 'g1', text: 'Cześć Magazyn' },
    ]);
    expect(sent.map((s) => s.name)).toEqual(['Bartek', 'Celina', 'Magazyn']);
    expect(quick.sent).toEqual(sent);
    expect(quick.targets).toEqual([]);
    quick.add({ kind: 'person', id: 'b', name: 'Bartek' });
    expect(quick.sent).toEqual([]);
  });

  it('shows the newest check when an older one answers late, and a failure as an error', async () => {
    const server = new FakeServer();
    server.previews.set('direct-b', { recipients: [reach('b', 'Bartek')] });
    server.previews.set('direct-c', { recipients: [reach('c', 'Celina')] });
    server.held.set('direct-b', () => {});
    const quick = new QuickSms(server);
    quick.add({ kind: 'person', id: 'b', name: 'Bartek' });
    const slow = quick.check();
    quick.remove({ kind: 'person', id: 'b', name: 'Bartek' });
    quick.add({ kind: 'person', id: 'c', name: 'Celina' });
    await quick.check();
    expect(quick.preview?.map((r) => r.name)).toEqual(['Celina']);
    await Promise.resolve();
    server.held.get('direct-b')?.();
    await slow;
    expect(quick.preview?.map((r) => r.name)).toEqual(['Celina']);

    quick.add({ kind: 'group', id: 'missing', name: '?' });
    await quick.check();
    expect(quick.preview).toBeNull();
    expect(quick.error).toBeInstanceOf(Error);
  });

  it('sends with the composer\'s timing: "send anyway" in quiet hours, SMS if unread after N min, and then starts over', async () => {
    const server = new FakeServer();
    const quick = new QuickSms(server);
    quick.add({ kind: 'person', id: 'b', name: 'Bartek' });
    quick.setSendAnyway(true);
    quick.setWhen('15');
    expect(quick.later).toBe(true);
    await quick.send(() => 'Awaria');
    expect(server.sent).toEqual([{ conversationId: 'direct-b', text: 'Awaria', extras: { smsIfUnreadMinutes: 15, smsIgnoreQuietHours: true } }]);
    // The next quick SMS goes now again, quiet hours holding it.
    expect(quick.timing).toEqual({ when: '', requestAck: false, sendAnyway: false });
    quick.add({ kind: 'person', id: 'b', name: 'Bartek' });
    await quick.send(() => 'Drugi');
    expect(server.sent[1]).toEqual({ conversationId: 'direct-b', text: 'Drugi' });
  });

  it('"SMS if not acknowledged" asks for acknowledgement, and falls back to now when that is unticked', async () => {
    const server = new FakeServer();
    const quick = new QuickSms(server);
    quick.add({ kind: 'group', id: 'g1', name: 'Magazyn' });
    quick.setRequestAck(true);
    quick.setWhen('ack:5');
    expect(quick.ifUnacknowledged).toBe(true);
    await quick.send(() => 'Potwierdź');
    expect(server.sent[0]?.extras).toEqual({ smsIfUnreadMinutes: 5, smsIfUnacknowledged: true, requestAck: true });

    quick.add({ kind: 'group', id: 'g1', name: 'Magazyn' });
    quick.setRequestAck(true);
    quick.setWhen('ack:5');
    quick.setRequestAck(false);
    expect(quick.timing.when).toBe('');
    expect(quick.later).toBe(false);
    await quick.send(() => 'Teraz');
    expect(server.sent[1]).toEqual({ conversationId: 'g1', text: 'Teraz' });
  });
});
