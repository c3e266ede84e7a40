/**
 * Issue 12: mutes and do-not-disturb live on the server. Over real sockets: a mute set in one tab reaches the person's
 * other tab (and nobody else) live; after a reconnect and after a server restart on the same SQLite file it still
 * stands; bad requests are refused with the field named.
 */
import { describe, expect, it } from 'vitest';
import type { NotifySettings } from '../../shared/schemas/index.js';
import { collect, nextEvent, request } from './support/test-app.js';
import { appsPerTest } from './support/app-lifecycle.js';
import { call, closeAll, errorOf, openDirect } from './support/messaging.js';

describe('notification choices on the server', () => {
  const { start, stopKeepingFile, tab, tabs } = appsPerTest();

  it('a mute set in one tab reaches the other tab live, not the colleague, and stands after a reconnect and a restart', async () => {
    const first = await start();
    const annaCookie = await first.signIn('anna');
    const [one, two] = [await tab(first, annaCookie), await tab(first, annaCookie)];
    const bartek = await tab(first, await first.signIn('bartek'));
    const bartekHeard = collect<NotifySettings>(bartek, 'notify:settings');
    const direct = await openDirect(first, one, 'bartek');
    const dndUntil = new Date(Date.now() + 3_600_000).toISOString();

    const otherTabHears = nextEvent<NotifySettings>(two, 'notify:settings', (s) => s.muted.length > 0);
    const answer = await call(one, 'notify:mute', { conversationId: direct.id, until: 'forever' });
    expect(answer).toEqual({ doNotDisturbUntil: null, muted: [{ conversationId: direct.id, until: 'forever' }] });
    expect(await otherTabHears).toEqual(answer);

    const dndHeard = nextEvent<NotifySettings>(one, 'notify:settings', (s) => s.doNotDisturbUntil !== null);
    await call(two, 'notify:doNotDisturb', { until: dndUntil });
    expect((await dndHeard).doNotDisturbUntil).toBe(dndUntil);

    // A round trip on Bartek's socket after both events went out: had he been sent one, it would be here by now.
    expect(await call(bartek, 'notify:get', {})).toEqual({ doNotDisturbUntil: null, muted: [] });
    expect(bartekHeard).toEqual([]);

    const expected = { doNotDisturbUntil: dndUntil, muted: [{ conversationId: direct.id, until: 'forever' }] };
    one.disconnect();
    const again = await tab(first, annaCookie);
    expect(await call(again, 'notify:get', {})).toEqual(expected);

    closeAll(tabs);
    await stopKeepingFile(first);
    const second = await start(first.dataDir);
    const afterRestart = await tab(second, await second.signIn('anna'));
    expect(await call(afterRestart, 'notify:get', {})).toEqual(expected);

    // Unmuting and ending DND are heard the same way.
    const otherHears = nextEvent<NotifySettings>(afterRestart, 'notify:settings', (s) => s.muted.length === 0);
    const otherDevice = await tab(second, await second.signIn('anna'));
    await call(otherDevice, 'notify:mute', { conversationId: direct.id, until: null });
    expect((await otherHears).muted).toEqual([]);
  });

  it('refuses a moment in the past, a malformed one, and a conversation that is not mine', async () => {
    const t = await start();
    const anna = await tab(t, await t.signIn('anna'));
    const celina = await tab(t, await t.signIn('celina'));
    const direct = await openDirect(t, anna, 'bartek');

    const past = errorOf(await request(anna, 'notify:mute', { conversationId: direct.id, until: new Date(Date.now() - 1000).toISOString() }));
    expect(past).toMatchObject({ code: 'VALIDATION_FAILED', field: 'until', rule: 'range' });
    const malformed = errorOf(await request(anna, 'notify:doNotDisturb', { until: 'tomorrow' }));
    expect(malformed).toMatchObject({ code: 'VALIDATION_FAILED', field: 'until' });
    const notMine = errorOf(await request(celina, 'notify:mute', { conversationId: direct.id, until: 'forever' }));
    expect(notMine.code).toBe('NOT_FOUND');
    expect(await call(celina, 'notify:get', {})).toEqual({ doNotDisturbUntil: null, muted: [] });
    expect(await call(anna, 'notify:get', {})).toEqual({ doNotDisturbUntil: null, muted: [] });
  });
});
