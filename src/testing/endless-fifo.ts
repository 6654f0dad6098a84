import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * A FIFO whose writer sends `bytes` zero bytes and then keeps it open: a read to the end never
 * returns, only a bounded one does. `stop` ends the writer (call it in `finally`).
 */
export function endlessFifo(
  folder: string,
  name = 'endless',
  bytes = 1024 * 1024,
): { path: string; stop(): void } {
  const path = join(folder, name);
  execFileSync('mkfifo', [path]);
  const writer: ChildProcess = spawn(
    'sh',
    ['-c', 'exec 3>"$1"; head -c "$2" /dev/zero >&3; exec sleep 60', 'sh', path, String(bytes)],
    { stdio: 'ignore' },
  );
  return { path, stop: () => writer.kill() };
}
