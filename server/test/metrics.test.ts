/** GET /metrics: off unless METRICS_TOKEN is set, then behind that bearer token, with figures that move. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDirect, send } from './support/messaging.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TOKEN = 'metrics-token-for-the-test-0123';

/** The value of an unlabelled sample, e.g. `depesza_messages_stored_total 3`. */
function sample(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`${name} missing from:\n${text}`);
  return Number(line.slice(name.length + 1));
}

describe('metrics off (no METRICS_TOKEN)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.stop({ remove: true }));

  it('answers 404, with or without a token', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });
});

describe('metrics on', () => {
  let t: TestApp;
  const scrape = async () => {
    const response = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };
  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => t.stop({ remove: true }));

  it('refuses a missing or wrong token with 401', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('counts connected sockets, stored messages and append batches', async () => {
    const before = await scrape();
    expect(sample(before, 'depesza_messages_stored_total')).toBe(0);
    expect(sample(before, 'depesza_connected_sockets')).toBe(0);
    expect(before).toContain('nodejs_eventloop_lag_seconds');

    const anna = await t.connectAs('anna');
    await t.connectAs('bartek');
    const conversation = await openDirect(t, anna, 'bartek');
    const clientId = crypto.randomUUID();
    await send(anna, conversation.id, 'one', clientId);
    await send(anna, conversation.id, 'one again', clientId); // a retry: the same stored message, not a new one
    await send(anna, conversation.id, 'two');

    const after = await scrape();
    expect(sample(after, 'depesza_messages_stored_total')).toBe(2);
    expect(sample(after, 'depesza_connected_sockets')).toBe(2);
    expect(sample(after, 'depesza_append_batch_size_count')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'depesza_append_batch_size_sum')).toBe(3);
  });
});
