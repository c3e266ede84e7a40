/**
 * Sign-in limits under parallel guessing, behind (trusted and untrusted) proxies, and the lockout rules: whole app,
 * real HTTP, a clock the tests move.
 */
import { describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import { API } from '../../shared/http.js';
import { call, FakeClock, keepInFlight, MINUTE } from './support/http-client.js';
import { appPerTest, TEST_PASSWORD, type TestApp } from './support/test-app.js';

type Failure = { error: ErrorBody };

const start = appPerTest();

function attempt(app: TestApp, login: string, password: string, from?: string) {
  return call<Failure>(app.url, 'POST', API.session, {
    body: { login, password },
    ...(from ? { headers: { 'x-forwarded-for': from } } : {}),
  });
}

function statuses(answers: Array<{ status: number }>): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const answer of answers) counts[answer.status] = (counts[answer.status] ?? 0) + 1;
  return counts;
}

describe('parallel guesses for one login', () => {
  it('evaluates at most the per-login limit, and the right password inside the burst gets 429 with retryAfterMs', async () => {
    const app = await start({ deps: { clock: new FakeClock() } });
    const guesses = Array.from({ length: 60 }, (_, i) => (i === 30 ? TEST_PASSWORD : `wrong-guess-${i}`));
    const answers = await Promise.all(guesses.map((password) => attempt(app, 'bartek', password)));

    const counts = statuses(answers);
    const evaluated = (counts[401] ?? 0) + (counts[200] ?? 0);
    expect(evaluated).toBeGreaterThan(0);
    expect(evaluated).toBeLessThanOrEqual(5);
    expect(counts[429]).toBe(60 - evaluated);

    const right = answers[30]!;
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();
    for (const answer of answers.filter((a) => a.status === 429)) {
      expect(answer.body.error.code).toBe('TOO_MANY_ATTEMPTS');
      expect(answer.body.error.retryAfterMs).toBeGreaterThan(0);
      expect(Number(answer.headers.get('retry-after'))).toBe(Math.ceil(answer.body.error.retryAfterMs! / 1000));
    }
  });

  it('checks at most five guesses from a patient guesser who never trips the in-flight cap, then refuses even the right one', async () => {
    // At most two in flight (inFlightPerLogin), the next sent as one returns: only the counted limit can stop these.
    const app = await start({ deps: { clock: new FakeClock() } });
    const answers = await keepInFlight(2, (i) => attempt(app, 'bartek', `wrong-guess-${i}`), (a) => a.status === 429);
    expect(answers.filter((a) => a.status === 401)).toHaveLength(5);
    expect(answers.some((a) => a.status === 429)).toBe(true);
    const right = await attempt(app, 'bartek', TEST_PASSWORD);
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(right.headers.get('set-cookie')).toBeNull();
  });

  it('answers 503 with retryAfterMs beyond the cap on password checks in flight, instead of queueing them all', async () => {
    // Slower hashes than the harness's, so that the burst overlaps; distinct logins and addresses so that no
    // per-login or per-address limit answers first.
    const app = await start({
      env: { TRUSTED_PROXIES: '127.0.0.1', SIGNIN_MAX_PENDING_CHECKS: '2' },
      deps: { passwordParams: { N: 2 ** 14, r: 8, p: 1 } },
    });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(app, `nobody-${i}`, 'wrong-guess', `203.0.113.${i + 1}`)),
    );
    const counts = statuses(answers);
    expect(counts[503]).toBeGreaterThan(0);
    expect((counts[401] ?? 0) + (counts[503] ?? 0)).toBe(40);
    const busy = answers.find((a) => a.status === 503)!;
    expect(busy.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(busy.body.error.retryAfterMs).toBeGreaterThan(0);
    expect(busy.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('login variants', () => {
  it('share one budget: a soft hyphen, a zero-width space or fullwidth letters do not buy fresh guesses', async () => {
    const app = await start({ deps: { clock: new FakeClock() } });
    // Variants a case- and width-insensitive store collation (MongoDB's) resolves to anna.
    const variants = ['an\u00ADna', 'ａｎｎａ', 'an\u200Bna', 'ＡＮＮＡ', 'Anna'];
    for (const login of variants) expect((await attempt(app, login, 'wrong-guess')).status).toBe(401);
    const blocked = await attempt(app, 'anna', TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect((await attempt(app, 'an\u00ADna', 'wrong-again')).status).toBe(429);
  });
});

describe('X-Forwarded-For', () => {
  async function exhaustAddressBudget(app: TestApp): Promise<void> {
    // 30 failures spread over logins that each stay below the per-login limit, each with another forged address.
    for (let i = 0; i < 30; i += 1) {
      expect((await attempt(app, `guess-${i % 10}`, 'whatever-1', `198.51.100.${i + 1}`)).status).toBe(401);
    }
  }

  it('is ignored without a trusted proxy, even with PUBLIC_URL set: rotating it keeps the one per-address budget', async () => {
    const app = await start({ env: { PUBLIC_URL: 'https://chat.example.pl' }, deps: { clock: new FakeClock() } });
    await exhaustAddressBudget(app);
    const blocked = await attempt(app, 'celina', TEST_PASSWORD, '198.51.100.200');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('is honoured from a proxy named in TRUSTED_PROXIES', async () => {
    const app = await start({ env: { PUBLIC_URL: 'https://chat.example.pl', TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1' }, deps: { clock: new FakeClock() } });
    await exhaustAddressBudget(app);
    expect((await attempt(app, 'celina', TEST_PASSWORD, '198.51.100.200')).status).toBe(200);
  });
});

describe('lockout', () => {
  it('never blocks the right password from an address that signed in to the account before', async () => {
    const app = await start({ env: { TRUSTED_PROXIES: '127.0.0.1' }, deps: { clock: new FakeClock() } });
    const home = '192.0.2.10';
    expect((await attempt(app, 'bartek', TEST_PASSWORD, home)).status).toBe(200);

    // Someone fails five times for bartek from five addresses: new addresses are locked out for bartek ...
    for (let i = 0; i < 5; i += 1) expect((await attempt(app, 'bartek', `wrong-${i}`, `203.0.113.${i + 1}`)).status).toBe(401);
    const stranger = await attempt(app, 'bartek', TEST_PASSWORD, '203.0.113.99');
    expect(stranger.status).toBe(429);
    // ... but bartek at home still signs in.
    expect((await attempt(app, 'bartek', TEST_PASSWORD, home)).status).toBe(200);
  });

  it('slows one login from one address with a growing delay instead of a fixed lockout', async () => {
    const clock = new FakeClock();
    const app = await start({ env: { TRUSTED_PROXIES: '127.0.0.1' }, deps: { clock } });
    const home = '192.0.2.20';
    expect((await attempt(app, 'darek', TEST_PASSWORD, home)).status).toBe(200);
    for (let i = 0; i < 5; i += 1) expect((await attempt(app, 'darek', `typo-${i}`, home)).status).toBe(401);

    const first = await attempt(app, 'darek', TEST_PASSWORD, home);
    expect(first.status).toBe(429);
    expect(first.body.error.retryAfterMs).toBe(30_000);
    clock.advance(30_000);
    expect((await attempt(app, 'darek', 'typo-again', home)).status).toBe(401);
    const second = await attempt(app, 'darek', TEST_PASSWORD, home);
    expect(second.body.error.retryAfterMs).toBe(60_000);
    clock.advance(60_000);
    expect((await attempt(app, 'darek', TEST_PASSWORD, home)).status).toBe(200);
    // Other addresses were never slowed by darek's own typos from home.
    expect((await attempt(app, 'darek', TEST_PASSWORD, '192.0.2.21')).status).toBe(200);
  });

  it('behind one shared address, people who signed in from it before are not locked out by someone else exhausting it', async () => {
    const clock = new FakeClock();
    const app = await start({ deps: { clock } });
    expect((await attempt(app, 'ewa', TEST_PASSWORD)).status).toBe(200);
    for (let i = 0; i < 30; i += 1) expect((await attempt(app, `guess-${i % 10}`, 'whatever-1')).status).toBe(401);
    expect((await attempt(app, 'filip', TEST_PASSWORD)).status).toBe(429);
    expect((await attempt(app, 'ewa', TEST_PASSWORD)).status).toBe(200);
    clock.advance(15 * MINUTE);
    expect((await attempt(app, 'filip', TEST_PASSWORD)).status).toBe(200);
  });
});
