// Polls a condition until it holds (socket tests wait on effects, never on fixed sleeps).

/** Resolves once `probe` returns a value other than undefined/false; rejects after `timeoutMs`. */
export async function eventually<T>(probe: () => T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
