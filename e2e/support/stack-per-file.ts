/** The usual life of a spec file's stack: one server and fake SMSAPI for all its tests. */
import { test } from '@playwright/test';
import { startStack, type Stack } from './stack.js';

/**
 * Starts the stack before the file's first test and stops it after its last. The answer is filled in place when it
 * has started, so tests (and a `seed`, run once the stack answers) read it like a started stack.
 */
export function stackForFile(
  options: Parameters<typeof startStack>[0] & { seed?: () => Promise<void>; setUpMs?: number } = {},
): Stack {
  const { seed, setUpMs = 360_000, ...stackOptions } = options;
  const stack = {} as Stack;
  let started: Stack | null = null;
  test.beforeAll(async () => {
    // Two processes start from TypeScript sources, one after the other: minutes on a loaded two-core machine.
    test.setTimeout(setUpMs);
    started = await startStack(stackOptions);
    Object.assign(stack, started);
    await seed?.();
  });
  test.afterAll(async () => {
    await started?.stop();
  });
  return stack;
}
