/**
 * A long conversation for the virtual message list (issue 15): seeded through the server's own store, and in-page probes that scroll it the way a reader does and report where the reading position went. Shared by
 * e2e/long-history.spec.ts and the bench's client-long scenario, so both measure the same thing.
 */
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { createSqliteStore } from '../../server/src/adapters/store/sqlite/sqlite-store.js';
import { uuidv7 } from '../../shared/ids.js';
import { apiSocket } from './api-socket.js';
import { DEMO_PASSWORD, type Stack } from './stack.js';

const FILLER =
  'Dostawa do magazynu w Łodzi przesunięta na czwartek, kierowca dzwoni przed wyjazdem, a faktura idzie do księgowości razem z protokołem odbioru.';

/** Message i's text: mostly one line, every ninth a wrapped paragraph, every 31st two paragraphs, so heights vary. */
export function longHistoryText(i: number): string {
  let text = `Wiersz ${i}`;
  if (i % 9 === 0) text += ` ${FILLER} ${FILLER}`;
  if (i % 31 === 0) text += `\n\nDrugi akapit wiadomości ${i}.`;
  return text;
}

/**
 * Anna and Bartek's direct conversation with `count` messages, in runs of ten from each (so runs are grouped under
 * one header), one second apart and ending now. The conversation is opened over the API; the messages are appended
 * through the server's own SQLite store while the server is stopped (5,000 sends over the socket take minutes on a
 * busy machine and measure nothing here), then the server starts again on that data.
 */
export async function seedLongConversation(stack: Stack, count: number): Promise<{ conversationId: string }> {
  const anna = await apiSocket(stack.url, 'anna');
  const { id } = await anna.ask<{ id: string }>('conversation:openDirect', { employeeId: anna.idOf('bartek') });
  const ids = { anna: anna.idOf('anna'), bartek: anna.idOf('bartek') };
  anna.close();
  await stack.stopServer();
  const store = createSqliteStore({ file: path.join(stack.dataDir, 'depesza.sqlite'), maxAppendBatch: 10_000 });
  try {
    const start = Date.now() - count * 1000;
    await Promise.all(
      Array.from({ length: count }, (_, k) => {
        const i = k + 1;
        const at = start + i * 1000;
        return store.messages.append({
          id: uuidv7(at),
          conversationId: id,
          senderId: Math.floor(i / 10) % 2 === 0 ? ids.anna : ids.bartek,
          clientId: uuidv7(at),
          text: longHistoryText(i),
          createdAt: new Date(at),
          notifySms: false,
          dispatches: [],
        });
      }),
    );
  } finally {
    await store.close();
  }
  await stack.startServer();
  // The first start over 5,000 new messages is busy for a while after /readyz (the sign-in form's 10 s would not
  // wait): one sign-in answered means it is ready for the browser.
  const signIn = await fetch(`${stack.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'bartek', password: DEMO_PASSWORD }),
  });
  if (!signIn.ok) throw new Error(`sign-in after seeding answered ${signIn.status}`);
  return { conversationId: id };
}

export interface OlderPageProbe {
  /** The seq of the message at the reading position (the topmost one on screen) when the page was asked for. */
  seq: number;
  /** How far that message moved on screen, in px, over every frame until three frames after the page was placed. */
  drift: number;
  /** Milliseconds from the scroll that asked for the page to the frame it was on screen. */
  ms: number;
  /** False when the list already showed the beginning (no older page). */
  paged: boolean;
  /** When the message left the page: where the list was then. */
  missing: string;
}

/**
 * Scrolls the list to its top, which asks for the next older page, and watches the message at the reading position
 * frame by frame until the page is placed above it. The reply cannot arrive before the first frame after the scroll
 * (it needs a network task), so the position recorded there is the one from before the page.
 */
export function probeOlderPage(list: Locator): Promise<OlderPageProbe> {
  return list.evaluate(async (el: HTMLElement) => {
    // A frame, or 100 ms if the browser stops producing frames for this page (seen once in CI on a loaded machine:
    // the probe then waited for ever, past the test's timeout, instead of failing on what it measures).
    const frame = () =>
      new Promise<void>((resolve) => {
        requestAnimationFrame(() => resolve());
        setTimeout(resolve, 100);
      });
    const seqs = () => [...el.querySelectorAll<HTMLElement>('[data-seq]')].map((m) => Number(m.dataset.seq));
    const started = performance.now();
    el.scrollTop = 0;
    await frame();
    if (el.querySelector('[data-testid="history-beginning"]')) return { seq: Math.min(...seqs()), drift: 0, ms: 0, paged: false, missing: '' };
    const lowest = Math.min(...seqs());
    const listTop = el.getBoundingClientRect().top;
    const reading = [...el.querySelectorAll<HTMLElement>('[data-seq]')].find((m) => m.getBoundingClientRect().bottom > listTop + 1)!;
    const seq = Number(reading.dataset.seq);
    // The list's row around the message: the message itself may legitimately lose its header (and its group
    // spacing) when the previous message from the same sender arrives above it.
    const rowOf = (message: HTMLElement) => message.closest<HTMLElement>('[data-row]') ?? message;
    const top = rowOf(reading).getBoundingClientRect().top;
    let drift = 0;
    let missing = '';
    let placedAt: number | null = null;
    let after = 0;
    for (let frames = 0; frames < 3000 && after < 3; frames++) {
      await frame();
      const now = el.querySelector<HTMLElement>(`[data-seq="${seq}"]`);
      if (!now && !missing) missing = `frame ${frames}: scrollTop ${el.scrollTop} of ${el.scrollHeight}, seqs ${Math.min(...seqs())}–${Math.max(...seqs())}`;
      drift = Math.max(drift, now ? Math.abs(rowOf(now).getBoundingClientRect().top - top) : Number.POSITIVE_INFINITY);
      if (placedAt === null && (Math.min(...seqs()) < lowest || el.querySelector('[data-testid="history-beginning"]'))) placedAt = performance.now();
      if (placedAt !== null) after++;
    }
    if (placedAt === null) throw new Error(`no older page arrived below seq ${lowest}`);
    return { seq, drift, ms: placedAt - started, paged: true, missing };
  });
}

/**
 * Scrolls down from where the list is to its bottom in steps of 90% of its height; after each step the message that
 * was at the reading position must have moved by exactly the step. Answers the largest deviation and the number of
 * steps.
 */
export function probeScrollDown(list: Locator): Promise<{ maxDeviation: number; steps: number }> {
  return list.evaluate(async (el: HTMLElement) => {
    // A frame, or 100 ms if the browser stops producing frames for this page (seen once in CI on a loaded machine:
    // the probe then waited for ever, past the test's timeout, instead of failing on what it measures).
    const frame = () =>
      new Promise<void>((resolve) => {
        requestAnimationFrame(() => resolve());
        setTimeout(resolve, 100);
      });
    let maxDeviation = 0;
    let steps = 0;
    while (el.scrollTop + el.clientHeight < el.scrollHeight - 2 && steps < 10_000) {
      const listTop = el.getBoundingClientRect().top;
      const reading = [...el.querySelectorAll<HTMLElement>('[data-seq]')].find((m) => m.getBoundingClientRect().bottom > listTop + 1)!;
      const top = reading.getBoundingClientRect().top;
      const from = el.scrollTop;
      el.scrollTop = from + Math.floor(el.clientHeight * 0.9);
      // Read back at once: the step as the browser clamped it, before the list could correct anything.
      const moved = el.scrollTop - from;
      await frame();
      await frame();
      const now = el.querySelector<HTMLElement>(`[data-seq="${reading.dataset.seq}"]`);
      maxDeviation = Math.max(maxDeviation, now ? Math.abs(top - moved - now.getBoundingClientRect().top) : Number.POSITIVE_INFINITY);
      steps++;
    }
    return { maxDeviation, steps };
  });
}

/** Every element in the page: what the virtual list keeps bounded. */
export function elementCount(page: Page): Promise<number> {
  return page.evaluate(() => document.getElementsByTagName('*').length);
}
