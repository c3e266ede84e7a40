// @ts-check
/**
 * SMSAPI's HTTP requests on a thread of their own (started by http-thread.ts): axios' request pipeline and the
 * HTTP parsing cost an urgent SMS several times what storing a chat message costs, and on the main thread they
 * delayed everyone's chat (bench scenario 5). This thread only performs requests; building them and reading the
 * answers stays in gateway.ts / account.ts. Plain JavaScript for the same reason as the checkpoint worker: a
 * TypeScript worker would need tsx's loader in every thread started from the sources.
 * Nothing of a failed request (its token, the number) is passed back: only axios' error code.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import axios from 'axios';

/**
 * Below the chat on a shared core: on one core (the bench pins the server to one) a thread of our own alone changed
 * nothing, since every message to this thread woke it ahead of the event loop. Nice 10 (weight 110 against 1024)
 * lets the chat's thread go first and still leaves this one about a tenth of a saturated core, several times what
 * 50 SMS/s need. On Linux a thread's own id names just that thread; elsewhere this is skipped.
 */
const NICE = 10;
try {
  const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, NICE);
} catch {
  // No /proc (not Linux) or not allowed: the thread keeps the process's priority.
}

/**
 * @param {{ method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: string, timeoutMs: number }} request
 * @returns {Promise<{ ok: true, status: number, body: string } | { ok: false, code: string | null }>}
 */
async function perform(request) {
  try {
    const response = await axios.request({
      method: request.method,
      url: request.url,
      headers: request.headers,
      data: request.body,
      // axios' own timeout is per socket inactivity; the signal also bounds a slow trickle of bytes.
      timeout: request.timeoutMs,
      signal: AbortSignal.timeout(request.timeoutMs),
      // Every status is the caller's to interpret, so axios never throws an error that embeds the request.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(/** @type {unknown} */ data) => data],
      // A redirect would resend the token and the number to wherever it points.
      maxRedirects: 0,
      maxContentLength: 1_000_000,
    });
    return { ok: true, status: response.status, body: typeof response.data === 'string' ? response.data : '' };
  } catch (error) {
    return { ok: false, code: axios.isAxiosError(error) && typeof error.code === 'string' ? error.code : null };
  }
}

parentPort?.on('message', (/** @type {{ id: number, request: Parameters<typeof perform>[0] }} */ message) => {
  void perform(message.request).then((answer) => parentPort?.postMessage({ id: message.id, answer }));
});
// Every module loaded: from here a thread that dies had requests to answer; before, it never started.
parentPort?.postMessage('ready');
