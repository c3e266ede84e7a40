/**
 * Attachments over the real app (issue 12): real HTTP uploads and downloads, real sockets, a real SQLite file and
 * files under DATA_DIR/files. Who may fetch what, the size limit (declared and mid-stream), what is shown inline,
 * byte-identical downloads, files leaving with their last message, and the urgent SMS note.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../../shared/http.js';
import type { AttachmentView, Message } from '../../shared/schemas/index.js';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import { createFsFileStore } from '../src/adapters/files/fs-file-store.js';
import type { FileStore } from '../src/ports/file-store.js';
import { errorOf, openDirect, unwrap } from './support/messaging.js';
import { employee, ok, onlyDispatch, startSmsApp, type SmsTestApp } from './support/sms.js';
import { request, startTestApp, type ClientSocket, type TestApp } from './support/test-app.js';

const MB = 1024 * 1024;

interface Upload {
  status: number;
  body: AttachmentView & { error?: { code: string; limit?: number } };
}

/** A browser-like upload: multipart/form-data with one field "file", its length declared. */
async function upload(url: string, cookie: string, name: string, type: string, bytes: Buffer): Promise<Upload> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const response = await fetch(`${url}${API.attachments}`, { method: 'POST', headers: { cookie }, body: form });
  return { status: response.status, body: (await response.json()) as Upload['body'] };
}

/** The same form sent chunked, without Content-Length: the limit can only be noticed mid-stream. */
async function uploadStreamed(url: string, cookie: string, name: string, bytes: Buffer): Promise<Upload> {
  const boundary = `----depesza${randomUUID()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const parts = [head, ...Array.from({ length: Math.ceil(bytes.length / (64 * 1024)) }, (_, i) => bytes.subarray(i * 64 * 1024, (i + 1) * 64 * 1024)), tail];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = parts.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
  const response = await fetch(`${url}${API.attachments}`, {
    method: 'POST',
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
    duplex: 'half',
  } as RequestInit);
  return { status: response.status, body: (await response.json()) as Upload['body'] };
}

async function download(url: string, cookie: string, id: string) {
  const response = await fetch(`${url}${API.attachment(id)}`, { headers: { cookie } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** Every regular file under DATA_DIR/files: what is physically stored. */
function storedFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'files');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function sendWith(socket: ClientSocket, conversationId: string, text: string, attachmentIds: string[]): Promise<Message> {
  return unwrap(await request(socket, 'message:send', { conversationId, clientId: randomUUID(), text, attachmentIds }));
}

describe('attachments', () => {
  let t: TestApp;
  const cookies: Record<string, string> = {};
  const sockets: Record<string, ClientSocket> = {};

  beforeAll(async () => {
    t = await startTestApp({ env: { ATTACHMENT_MAX_MB: '1' } });
    for (const login of ['anna', 'bartek', 'darek']) {
      cookies[login] = await t.signIn(login);
      sockets[login] = await t.connectAs(login);
    }
  });
  afterAll(async () => t.stop({ remove: true }));

  it('a file sent by one member downloads byte-identical for the other; a non-member gets 404 as for a missing file', async () => {
    const bytes = randomBytes(MB - 1000);
    const up = await upload(t.url, cookies.bartek as string, 'raport.bin', 'application/octet-stream', bytes);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ name: 'raport.bin', size: bytes.length, contentType: 'application/octet-stream', image: false });

    // Before any message carries it, only the uploader may fetch it.
    expect((await download(t.url, cookies.bartek as string, up.body.id)).status).toBe(200);
    expect((await download(t.url, cookies.anna as string, up.body.id)).status).toBe(404);

    const direct = await openDirect(t, sockets.bartek as ClientSocket, 'anna');
    const sent = await sendWith(sockets.bartek as ClientSocket, direct.id, '', [up.body.id]);
    expect(sent.text).toBe('');
    expect(sent.attachments).toEqual([up.body]);
    const seen = unwrap(await request(sockets.anna as ClientSocket, 'message:history', { conversationId: direct.id }));
    expect(seen.messages.at(-1)?.attachments).toEqual([up.body]);

    const got = await download(t.url, cookies.anna as string, up.body.id);
    expect(got.status).toBe(200);
    expect(sha(got.bytes)).toBe(sha(bytes));
    expect(got.bytes.equals(bytes)).toBe(true);

    const stranger = await download(t.url, cookies.darek as string, up.body.id);
    const missing = await download(t.url, cookies.darek as string, randomUUID());
    expect(stranger.status).toBe(404);
    expect(stranger.bytes.toString()).toBe(missing.bytes.toString());
    expect((await fetch(`${t.url}${API.attachment(up.body.id)}`)).status).toBe(401);
  });

  it('refuses an oversized upload, declared or noticed mid-stream, and stores nothing', async () => {
    const before = storedFiles(t.dataDir);
    const declared = await upload(t.url, cookies.anna as string, 'big.bin', 'application/octet-stream', randomBytes(2 * MB));
    expect(declared.status).toBe(413);
    expect(declared.body.error).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE', limit: MB });

    const justOver = randomBytes(MB + 1);
    const streamed = await uploadStreamed(t.url, cookies.anna as string, 'just-over.bin', justOver);
    expect(streamed.status).toBe(413);
    expect(streamed.body.error).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE', limit: MB });
    expect(storedFiles(t.dataDir)).toEqual(before);

    const exact = await uploadStreamed(t.url, cookies.anna as string, 'exact.bin', justOver.subarray(0, MB));
    expect(exact.status).toBe(201);
    expect(storedFiles(t.dataDir)).toContain(sha(justOver.subarray(0, MB)));
  });

  it('never serves HTML or SVG inline; raster images inline with their type; names survive in RFC 5987', async () => {
    const html = await upload(t.url, cookies.anna as string, 'strona.html', 'text/html', Buffer.from('<script>alert(1)</script>'));
    const svg = await upload(t.url, cookies.anna as string, 'logo.svg', 'image/svg+xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'));
    const png = await upload(t.url, cookies.anna as string, 'zrzut ekranu – żółw.png', 'image/png', Buffer.from('89504e470d0a1a0a', 'hex'));
    expect([html.body.image, svg.body.image, png.body.image]).toEqual([false, false, true]);

    for (const [file, name] of [
      [html, 'strona.html'],
      [svg, 'logo.svg'],
    ] as const) {
      const got = await download(t.url, cookies.anna as string, file.body.id);
      expect(got.headers.get('content-type')).toBe('application/octet-stream');
      expect(got.headers.get('content-disposition')).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('content-security-policy')).toContain('sandbox');
    }
    const image = await download(t.url, cookies.anna as string, png.body.id);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toBe(
      `inline; filename="zrzut ekranu _ ___w.png"; filename*=UTF-8''zrzut%20ekranu%20%E2%80%93%20%C5%BC%C3%B3%C5%82w.png`,
    );
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('attaches only the sender\'s own unsent uploads, naming the one that is not', async () => {
    const direct = await openDirect(t, sockets.anna as ClientSocket, 'bartek');
    const mine = await upload(t.url, cookies.anna as string, 'a.txt', 'text/plain', Buffer.from('a'));
    const theirs = await upload(t.url, cookies.bartek as string, 'b.txt', 'text/plain', Buffer.from('b'));
    const refused = errorOf(
      await request(sockets.anna as ClientSocket, 'message:send', { conversationId: direct.id, clientId: randomUUID(), text: 'x', attachmentIds: [mine.body.id, theirs.body.id] }),
    );
    expect(refused).toMatchObject({ code: 'ATTACHMENT_UNAVAILABLE', field: 'attachmentIds/1' });
    // Nothing was written: the own upload is still free to send.
    await sendWith(sockets.anna as ClientSocket, direct.id, 'teraz', [mine.body.id]);
    const twice = errorOf(
      await request(sockets.anna as ClientSocket, 'message:send', { conversationId: direct.id, clientId: randomUUID(), text: 'x', attachmentIds: [mine.body.id] }),
    );
    expect(twice.code).toBe('ATTACHMENT_UNAVAILABLE');
    const empty = errorOf(await request(sockets.anna as ClientSocket, 'message:send', { conversationId: direct.id, clientId: randomUUID(), text: ' ' }));
    expect(empty.code).toBe('VALIDATION_FAILED');
  });

  it('puts at most 10 files on a message and each upload on one message, also when sends race with the same uploads', async () => {
    const direct = await openDirect(t, sockets.anna as ClientSocket, 'darek');
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) ids.push((await upload(t.url, cookies.anna as string, `r${i}.txt`, 'text/plain', Buffer.from(`r${i}`))).body.id);
    const eleven = errorOf(
      await request(sockets.anna as ClientSocket, 'message:send', { conversationId: direct.id, clientId: randomUUID(), text: 'x', attachmentIds: ids }),
    );
    expect(eleven).toMatchObject({ code: 'VALIDATION_FAILED', field: 'attachmentIds' });

    // Two tabs, three sends at once, each of ten files and every pair overlapping: one wins, whole.
    const secondTab = await t.connectAs('anna');
    const sets = [ids.slice(0, 10), ids.slice(1, 11), ids.slice(0, 10)];
    const answers = await Promise.all(
      sets.map((attachmentIds, i) =>
        request(i === 1 ? secondTab : (sockets.anna as ClientSocket), 'message:send', { conversationId: direct.id, clientId: randomUUID(), text: `wyścig ${i}`, attachmentIds }),
      ),
    );
    secondTab.disconnect();
    const won = answers.flatMap((answer) => (answer.ok ? [answer.data] : []));
    expect(won).toHaveLength(1);
    expect(won[0]?.attachments).toHaveLength(10);
    for (const answer of answers) if (!answer.ok) expect(errorOf(answer).code).toBe('ATTACHMENT_UNAVAILABLE');
  });

  it('deleting a message deletes its file once no other message refers to the same bytes', async () => {
    const direct = await openDirect(t, sockets.bartek as ClientSocket, 'anna');
    const bytes = randomBytes(3000);
    const first = await upload(t.url, cookies.bartek as string, 'x.bin', 'application/octet-stream', bytes);
    const second = await upload(t.url, cookies.bartek as string, 'x-again.bin', 'application/octet-stream', bytes);
    const one = await sendWith(sockets.bartek as ClientSocket, direct.id, 'raz', [first.body.id]);
    const two = await sendWith(sockets.bartek as ClientSocket, direct.id, 'dwa', [second.body.id]);
    expect(storedFiles(t.dataDir).filter((f) => f === sha(bytes))).toHaveLength(1);

    const tombstone = unwrap(await request(sockets.bartek as ClientSocket, 'message:delete', { conversationId: direct.id, messageId: one.id }));
    expect(tombstone.attachments).toBeUndefined();
    expect((await download(t.url, cookies.anna as string, first.body.id)).status).toBe(404);
    expect((await download(t.url, cookies.anna as string, second.body.id)).bytes.equals(bytes)).toBe(true);

    unwrap(await request(sockets.bartek as ClientSocket, 'message:delete', { conversationId: direct.id, messageId: two.id }));
    expect(storedFiles(t.dataDir)).not.toContain(sha(bytes));
    expect((await download(t.url, cookies.anna as string, second.body.id)).status).toBe(404);
  });
});

describe('attachments: the bytes deleted between their write and their record', () => {
  it('answers a retryable failure and keeps no record pointing at nothing', async () => {
    // The real filesystem store; its put is followed at once by the delete a concurrent release would make.
    const racing = (root: string): FileStore => {
      const real = createFsFileStore(root);
      return {
        ...real,
        put: async (source, options) => {
          const stored = await real.put(source, options);
          await real.delete(stored.sha256);
          return stored;
        },
      };
    };
    const dataDir = mkdtempSync(path.join(tmpdir(), 'depesza-race-'));
    const t = await startTestApp({ dataDir, deps: { fileStore: racing(path.join(dataDir, 'files')) } });
    try {
      const cookie = await t.signIn('anna');
      const answer = await upload(t.url, cookie, 'a.bin', 'application/octet-stream', randomBytes(10));
      expect(answer.status).toBe(503);
      expect(answer.body.error?.code).toBe('SERVICE_UNAVAILABLE');
      expect(storedFiles(dataDir)).toEqual([]);
    } finally {
      await t.stop({ remove: true });
    }
  });
});

describe('attachments and urgent SMS', () => {
  let fake: FakeSmsapi;
  let t: SmsTestApp;
  beforeAll(async () => {
    fake = await startFakeSmsapi();
    t = await startSmsApp(fake);
  });
  afterAll(async () => {
    await t.stop({ remove: true });
    await fake.close();
  });

  it('sends the text with "(+ 2 załączniki)" and no link', async () => {
    const anna = await employee(t, 'anna');
    const bartek = await employee(t, 'bartek');
    const conversationId = ok(await request(anna.socket, 'conversation:openDirect', { employeeId: bartek.id })).id;
    const ids: string[] = [];
    for (const name of ['a.pdf', 'b.pdf']) ids.push((await upload(t.url, anna.cookie, name, 'application/pdf', randomBytes(100))).body.id);
    const sent = ok(await request(anna.socket, 'message:send', { conversationId, clientId: randomUUID(), text: 'Umowa do podpisu', notifySms: true, attachmentIds: ids }));
    await anna.log.waitForStatus(onlyDispatch(sent).id, 'sent');
    expect(fake.requests.map((r) => r.fields?.message)).toEqual(['Umowa do podpisu (+ 2 załączniki)']);
  });
});
