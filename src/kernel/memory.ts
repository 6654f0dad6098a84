/**
 * Asks V8 for a full collection, where the process was started with `--expose-gc` (the CLI is;
 * see cli/main.ts), and does nothing otherwise.
 *
 * For the end of a step that leaves much large garbage behind: text over 128 KB (a lockfile's
 * versions, decoded one by one) lives in V8's large-object space, which only a full collection
 * frees, and V8 starts one only when the heap reaches a limit that this very garbage raises. An
 * assessment's peak memory was such garbage, not what it still used (decision 0016).
 */
export function releaseGarbage(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (typeof collect === 'function') collect();
}
