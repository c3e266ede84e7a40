/**
 * Changing one's password checks the current one with scrypt, so it gets the sign-in limits: guesses are throttled
 * per employee and address, and checks beyond the hashing cap are refused at once. Whole app, real HTTP.
 */
import { describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.js';
import { API } from '../../shared/http.js';
import { call, FakeClock, keepInFlight } from './support/http-client.js';
import { appPerTest, TEST_PASSWORD, type TestApp } from './support/test-app.js';

type Failure = { error: ErrorBody };

const start = appPerTest();

function change(app: TestApp, cookie: string, currentPassword: string) {
  return call<Failure>(app.url, 'PUT', API.myPassword, { cookie, body: { currentPassword, newPassword: 'a-new-password-2' } });
}

function count(answers: Array<{ status: number }>, status: number): number {
  return answers.filter((a) => a.status === status).length;
}

describe('guessing the current password', () => {
  it('is throttled: a parallel burst checks at most five guesses, the rest get 429 with retryAfterMs', async () => {
    const app = await start({ deps: { clock: new FakeClock() } });
    const cookie = await app.signIn('anna');
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => change(app, cookie, `wrong-guess-${i}`)));
    expect(count(answers, 401)).toBeGreaterThan(0);
    expect(count(answers, 401)).toBeLessThanOrEqual(5);
    expect(count(answers, 429)).toBe(30 - count(answers, 401));
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(refused.body.error.retryAfterMs).toBeGreaterThan(0);
  });

  it('is throttled for a patient guesser too: at most five checked, then even the right password gets 429', async () => {
    const app = await start({ deps: { clock: new FakeClock() } });
    const cookie = await app.signIn('anna');
    const answers = await keepInFlight(2, (i) => change(app, cookie, `wrong-guess-${i}`), (a) => a.status === 429);
    expect(count(answers, 401)).toBe(5);
    const right = await change(app, cookie, TEST_PASSWORD);
    expect(right.status).toBe(429);
    expect(right.body.error.retryAfterMs).toBeGreaterThan(0);
    // The password was not changed.
    await expect(app.signIn('anna')).resolves.toBeTruthy();
  });

  it('answers 503 with retryAfterMs beyond the cap on password checks in flight', async () => {
    const app = await start({
      env: { SIGNIN_MAX_PENDING_CHECKS: '2' },
      deps: { passwordParams: { N: 2 ** 14, r: 8, p: 1 } },
    });
    const cookies: string[] = [];
    for (const login of ['anna', 'bartek', 'celina', 'darek', 'ewa', 'filip']) cookies.push(await app.signIn(login));
    const answers = await Promise.all(cookies.flatMap((cookie) => [change(app, cookie, 'wrong-1'), change(app, cookie, 'wrong-2')]));
    expect(count(answers, 503)).toBeGreaterThan(0);
    expect(count(answers, 401) + count(answers, 503)).toBe(answers.length);
    const busy = answers.find((a) => a.status === 503)!;
    expect(busy.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(busy.body.error.retryAfterMs).toBeGreaterThan(0);
  });
});
