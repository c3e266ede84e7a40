/**
 * Scenario 6b (`--only=client-long`): the web client with a 5,000-message conversation (issue 15), in Debian's
 * Chromium over CDP. The stack is the e2e one (e2e/support/stack.ts: the real server and the fake SMSAPI, demo
 * directory); the history is appended through the server's SQLite store. Measured, at normal speed and with the CPU
 * slowed 4× (Emulation.setCPUThrottlingRate): time per older page while scrolling from the newest message to the
 * first, elements in the page before and after, frame time while scrolling through the loaded history, and time from
 * Enter to one's own message on screen with the whole history loaded. Then bytes of JS/CSS transferred on a first
 * visit (the sign-in page alone, and the whole way from it through signing in to the long conversation open, whose
 * newest page is plain text) and on a repeat visit. Goals are named in the rows' notes.
 */
import { chromium, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { BenchFailure, type BenchContext, type ScenarioResult } from '../lib/context.js';
import { median, percentile, row, type Row } from '../lib/stats.js';
import { history, NAMES, openDirect, submitSignIn } from '../../e2e/support/app.js';
import { elementCount, probeOlderPage } from '../../e2e/support/long-history.js';
import { seedLongConversation } from '../../e2e/support/long-history.js';
import { DEMO_PASSWORD, startStack } from '../../e2e/support/stack.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const COUNT = 5000;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

interface SpeedRun {
  rate: number;
  pagesMs: number[];
  elementsAtStart: number;
  elementsAtFirst: number;
  framesMs: number[];
  ownMessageMs: number[];
}

/** Scrolls down through the loaded history 80 px a frame and records the time between frames. */
function scrollFrames(page: Page, frames: number): Promise<number[]> {
  return history(page).evaluate(async (el: HTMLElement, count: number) => {
    const gaps: number[] = [];
    let last = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
    for (let i = 0; i < count; i++) {
      el.scrollTop += 80;
      const now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
      gaps.push(now - last);
      last = now;
    }
    return gaps;
  }, frames);
}

/** Enter in the composer → the first frame with the message in the list. */
async function ownMessage(page: Page, text: string): Promise<number> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await page.evaluate((wanted) => {
    const w = window as unknown as { __shown: Promise<number> };
    w.__shown = new Promise<number>((resolve) => {
      let pressed = 0;
      document.addEventListener('keydown', (event) => event.key === 'Enter' && (pressed = performance.now()), { capture: true, once: true });
      const list = document.querySelector('[data-testid="message-list"]')!;
      const observer = new MutationObserver(() => {
        if (!pressed || !list.textContent?.includes(wanted)) return;
        observer.disconnect();
        requestAnimationFrame(() => resolve(performance.now() - pressed));
      });
      observer.observe(list, { childList: true, subtree: true, characterData: true });
    });
  }, text);
  await box.press('Enter');
  return page.evaluate(() => (window as unknown as { __shown: Promise<number> }).__shown);
}

async function speedRun(page: Page, rate: number, pageLimit: number, sends: number, log: (m: string) => void): Promise<SpeedRun> {
  const cdp = await page.context().newCDPSession(page);
  await page.reload();
  await openDirect(page, NAMES.anna);
  const list = history(page);
  await list.locator(`[data-seq="${COUNT}"]`).waitFor();
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  try {
    const elementsAtStart = await elementCount(page);
    const pagesMs: number[] = [];
    for (let i = 0; i < pageLimit; i++) {
      const probe = await probeOlderPage(list);
      if (!probe.paged) break;
      if (probe.drift >= 1) throw new BenchFailure(`message ${probe.seq} moved ${probe.drift} px when an older page arrived`);
      pagesMs.push(probe.ms);
    }
    const elementsAtFirst = await elementCount(page);
    const framesMs = await scrollFrames(page, 240);
    await page.getByTestId('jump-to-latest').click();
    const ownMessageMs: number[] = [];
    for (let i = 0; i < sends; i++) ownMessageMs.push(await ownMessage(page, `Pomiar ${rate}× nr ${i} ${Date.now()}`));
    log(`  client-long ${rate}×: ${pagesMs.length} older pages, median ${median(pagesMs).toFixed(0)} ms; elements ${elementsAtStart} → ${elementsAtFirst}; own message median ${median(ownMessageMs).toFixed(0)} ms`);
    return { rate, pagesMs, elementsAtStart, elementsAtFirst, framesMs, ownMessageMs };
  } finally {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.detach();
  }
}

/**
 * JS and CSS bytes on the wire (headers included) while `load` runs, from CDP's Network domain, in total and per
 * JS/CSS file (its path), so a change in the total can be traced to the chunk that caused it.
 */
async function transferred(page: Page, load: () => Promise<unknown>): Promise<{ jsCss: number; all: number; files: Record<string, number> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const responses = new Map<string, { type: string; url: string }>();
  const files: Record<string, number> = {};
  let jsCss = 0;
  let all = 0;
  cdp.on('Network.responseReceived', (event) => responses.set(event.requestId, { type: event.type, url: event.response.url }));
  cdp.on('Network.loadingFinished', (event) => {
    all += event.encodedDataLength;
    const response = responses.get(event.requestId);
    if (response?.type !== 'Script' && response?.type !== 'Stylesheet') return;
    jsCss += event.encodedDataLength;
    const file = new URL(response.url).pathname;
    files[file] = (files[file] ?? 0) + event.encodedDataLength;
  });
  await load();
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  return { jsCss, all, files };
}

export async function clientLongScenario(ctx: BenchContext): Promise<ScenarioResult> {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-client.mjs')], { cwd: ROOT, stdio: 'ignore' });
  const stack = await startStack();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    await seedLongConversation(stack, COUNT);
    ctx.log(`  client-long: ${COUNT} messages seeded`);
    const context = await browser.newContext({ baseURL: stack.url, locale: 'en-GB', viewport: { width: 1366, height: 800 } });
    // tsx (esbuild, keepNames) wraps named functions inside the probes in __name(), which the page lacks.
    await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
    const page = await context.newPage();
    const first = await transferred(page, () => page.goto('/'));
    const session = await transferred(page, async () => {
      await submitSignIn(page, 'bartek', DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await openDirect(page, NAMES.anna);
      await history(page).locator(`[data-seq="${COUNT}"]`).waitFor();
    });
    const firstSession = { jsCss: first.jsCss + session.jsCss, all: first.all + session.all, files: { ...first.files } };
    for (const [file, bytes] of Object.entries(session.files)) firstSession.files[file] = (firstSession.files[file] ?? 0) + bytes;
    const repeat = await transferred(page, () => page.reload());
    const pageLimit = ctx.quick ? 20 : COUNT;
    const sends = ctx.quick ? 3 : 7;
    const normal = await speedRun(page, 1, pageLimit, sends, ctx.log);
    const slow = await speedRun(page, 4, pageLimit, sends, ctx.log);
    await context.close();

    const s = '6b client, 5,000 messages';
    const rows: Row[] = [];
    for (const run of [normal, slow]) {
      const cpu = run.rate === 1 ? 'CPU 1×' : `CPU ${run.rate}× slower`;
      rows.push(
        row(s, cpu, `elements: newest page → first message (${run.pagesMs.length} older pages)`, 'count', run.elementsAtStart, run.elementsAtFirst, 'goal: bounded (baseline column = at the newest page)'),
        row(s, cpu, 'older page placed, median', 'ms', null, median(run.pagesMs)),
        row(s, cpu, 'older page placed, slowest', 'ms', null, Math.max(...run.pagesMs)),
        row(s, cpu, 'frame time scrolling, median', 'ms', null, median(run.framesMs)),
        row(s, cpu, 'frame time scrolling, p95', 'ms', null, percentile(run.framesMs, 95)),
        row(s, cpu, `Enter → own message on screen, median of ${run.ownMessageMs.length}`, 'ms', null, median(run.ownMessageMs), run.rate === 1 ? 'goal ≤ 100 ms' : 'goal ≤ 300 ms'),
      );
    }
    rows.push(
      row(s, 'first visit', 'JS/CSS transferred, sign-in page', 'KB', null, first.jsCss / 1000, 'goal ≤ 80 KB'),
      row(s, 'first visit', 'JS/CSS transferred, sign-in page → signed in → conversation open', 'KB', null, firstSession.jsCss / 1000),
      row(s, 'repeat visit', 'JS/CSS transferred', 'KB', null, repeat.jsCss / 1000, 'goal ≤ 5 KB'),
      row(s, 'first visit', 'all transferred, sign-in page', 'KB', null, first.all / 1000),
      row(s, 'first visit', 'all transferred, sign-in page → signed in → conversation open', 'KB', null, firstSession.all / 1000),
      row(s, 'repeat visit', 'all transferred', 'KB', null, repeat.all / 1000),
    );
    return {
      rows,
      details: { normal, slow, first, firstSession, repeat },
      facts: {
        clientLongElementsAtStart: normal.elementsAtStart,
        clientLongElementsAtFirst: normal.elementsAtFirst,
        clientLongOwnMessageMs: median(normal.ownMessageMs),
        clientLongOwnMessageSlowMs: median(slow.ownMessageMs),
        clientLongRepeatJsCssBytes: repeat.jsCss,
        clientLongFirstJsCssBytes: first.jsCss,
        clientLongFirstSessionJsCssBytes: firstSession.jsCss,
      },
    };
  } finally {
    await browser.close();
    await stack.stop();
  }
}
