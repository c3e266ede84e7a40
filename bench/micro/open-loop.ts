import { performance } from 'node:perf_hooks';

/**
 * Offers `append` at `rate`/s for `ms` whatever the answers' pace (open loop); pushes each one's time from its
 * scheduled moment to its resolution onto `latencies`. Returns how many were offered.
 */
export async function offerAtRate(rate: number, ms: number, append: () => Promise<unknown>, latencies: number[] | null): Promise<number> {
  const pending: Promise<unknown>[] = [];
  const start = performance.now();
  let sent = 0;
  while (performance.now() - start < ms) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    for (; sent < due; sent++) {
      const scheduled = start + (sent / rate) * 1000;
      pending.push(append().then(() => latencies?.push(performance.now() - scheduled)));
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  return sent;
}
