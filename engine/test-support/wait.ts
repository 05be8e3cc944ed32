// TEST SUPPORT: waits for a condition that an asynchronous subscription makes true (no timing is asserted).

/** Polls `cond` every few ms until it holds; throws after `timeoutMs` with `what` in the message. */
export async function until(cond: () => boolean | Promise<boolean>, what = 'condition', timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Every event of a stream, oldest first ([] for an absent stream). */
export async function readAllOf(store: { readStream(s: string): AsyncIterable<{ type: string; data: unknown; metadata: Record<string, unknown> }> }, stream: string) {
  const out: { type: string; data: unknown; metadata: Record<string, unknown> }[] = [];
  try {
    for await (const e of store.readStream(stream)) out.push(e);
  } catch (e) {
    if ((e as { code?: string }).code !== 'STREAM_NOT_FOUND') throw e;
  }
  return out;
}
