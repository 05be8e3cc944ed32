// TEST SUPPORT: waits for a condition (never for a duration), polling at a pace that does not load the machine.

/** Polls `cond` every `everyMs` until it holds; throws after `timeoutMs` naming `what`. */
export async function waitUntil(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
