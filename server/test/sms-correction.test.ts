/**
 * Issue 11: after editing an urgent message whose SMS went out, the sender can send the corrected text by SMS to
 * the same recipients — through the same planner, caps and outbox, exactly once per edited text, also when two
 * tabs ask at the same moment. Against the fake SMSAPI over loopback HTTP.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Message, SmsDispatchView } from '../../shared/schemas/index.js';
import { PHONE_DIGITS, employee, ok, onlyDispatch, openDirect, sendWithSms, smsAppPerBlock } from './support/sms.js';
import { request } from './support/test-app.js';

describe('SMS correction of an edited urgent message', () => {
  const { fake, t } = smsAppPerBlock();

  const correctionOf = (message: Message, originalId: string): SmsDispatchView[] => (message.sms ?? []).filter((d) => d.id !== originalId);

  it('goes out once per edited text, even when two tabs ask at the same time', async () => {
    const anna = await employee(t, 'anna');
    const annaTab2 = await t.connectAs('anna');
    const bartek = await employee(t, 'bartek');
    const conversationId = await openDirect(anna.socket, bartek.id);
    const sent = await sendWithSms(anna.socket, conversationId, 'Zebranie o 10 w sali 4');
    const original = onlyDispatch(sent);
    await anna.log.waitForStatus(original.id, 'sent');
    const ref = { conversationId, messageId: sent.id };

    const unedited = await request(anna.socket, 'message:smsCorrection', { ...ref, rev: sent.rev });
    expect(unedited).toMatchObject({ ok: false, error: { code: 'MESSAGE_NOT_EDITED' } });

    const edited = ok(await request(anna.socket, 'message:edit', { ...ref, text: 'Zebranie o 11 w sali 4' }));
    const [first, second] = await Promise.all([
      request(anna.socket, 'message:smsCorrection', { ...ref, rev: edited.rev }),
      request(annaTab2, 'message:smsCorrection', { ...ref, rev: edited.rev }),
    ]);
    const corrections = correctionOf(ok(first), original.id);
    expect(corrections).toHaveLength(1);
    expect(correctionOf(ok(second), original.id).map((d) => d.id)).toEqual(corrections.map((d) => d.id));
    const correction = corrections[0] as SmsDispatchView;
    expect(correction).toMatchObject({ recipientId: bartek.id, status: 'queued' });
    await anna.log.waitForStatus(correction.id, 'sent');

    expect(fake.requests.map((r) => [r.fields.to, r.fields.message])).toEqual([
      [`48${PHONE_DIGITS.bartek}`, 'Zebranie o 10 w sali 4'],
      [`48${PHONE_DIGITS.bartek}`, 'Zebranie o 11 w sali 4'],
    ]);

    // A reaction moves the rev but not the text: the same correction, nothing more stored or sent.
    const reacted = ok(await request(bartek.socket, 'message:react', { ...ref, emoji: '👍', add: true }));
    const repeat = ok(await request(anna.socket, 'message:smsCorrection', { ...ref, rev: reacted.rev }));
    expect(repeat.sms?.map((d) => d.id).sort()).toEqual([original.id, correction.id].sort());

    // A newer edit makes the older rev stale, and may be corrected once more.
    const again = ok(await request(anna.socket, 'message:edit', { ...ref, text: 'Zebranie o 12 w sali 4' }));
    expect(await request(anna.socket, 'message:smsCorrection', { ...ref, rev: edited.rev })).toMatchObject({ ok: false, error: { code: 'STALE_REV' } });
    const latest = ok(await request(anna.socket, 'message:smsCorrection', { ...ref, rev: again.rev }));
    expect(latest.sms).toHaveLength(3);
    const third = (latest.sms ?? []).find((d) => d.id !== original.id && d.id !== correction.id) as SmsDispatchView;
    await anna.log.waitForStatus(third.id, 'sent');
    expect(fake.requests.map((r) => r.fields.message).at(-1)).toBe('Zebranie o 12 w sali 4');
  });

  it('refuses a correction with clear codes: not the sender, no SMS went out', async () => {
    const anna = await employee(t, 'anna');
    const bartek = await employee(t, 'bartek');
    const conversationId = await openDirect(anna.socket, bartek.id);
    const plain = ok(await request(anna.socket, 'message:send', { conversationId, clientId: randomUUID(), text: 'zwykła' }));
    const plainEdited = ok(await request(anna.socket, 'message:edit', { conversationId, messageId: plain.id, text: 'zwykła, poprawiona' }));
    expect(await request(anna.socket, 'message:smsCorrection', { conversationId, messageId: plain.id, rev: plainEdited.rev })).toMatchObject({
      ok: false,
      error: { code: 'NO_SMS_TO_CORRECT' },
    });
    expect(await request(bartek.socket, 'message:smsCorrection', { conversationId, messageId: plain.id, rev: plainEdited.rev })).toMatchObject({
      ok: false,
      error: { code: 'NOT_YOUR_MESSAGE' },
    });
    expect(fake.requests).toHaveLength(0);
  });
});
