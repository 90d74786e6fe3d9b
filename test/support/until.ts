/**
 * Waits for something a test can observe: calls `condition` (it may be async) every `everyMs`
 * until it gives something other than false, null or undefined, and returns that. Throws, naming
 * `what`, when nothing came within `ms`. Every poll in the tests goes through here, so none waits
 * for ever and none waits a fixed time for what it could see.
 */
export async function until<T>(
  condition: () => T | Promise<T>,
  what: string | (() => string),
  ms = 5000,
  everyMs = 10,
): Promise<Exclude<T, false | null | undefined>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await condition();
    if (value !== false && value !== null && value !== undefined) return value as Exclude<T, false | null | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
