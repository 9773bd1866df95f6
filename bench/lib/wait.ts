// Polling helpers: the bench waits on conditions, never on fixed sleeps standing in for them.
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitUntil<T>(
  check: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  what: string,
  opts: { timeoutMs: number; everyMs?: number },
): Promise<T> {
  const deadline = performance.now() + opts.timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}`);
    await sleep(opts.everyMs ?? 20);
  }
}
