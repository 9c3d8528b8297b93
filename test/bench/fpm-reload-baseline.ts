// Same-run baseline of the full-panel create benchmark: what one pool change costs php-fpm alone on
// the panel's own master — two `php-fpm -t` (the new pools alone, then the whole master config, as
// the php plugin tests before it swaps and before it reloads), then SIGUSR2 and the wait until the
// re-executed master has rewritten its pid file and its own pool's socket answers again. A burst of
// creates must pay at least one of these for its answers to mean "the PHP pools are live".
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { readPid } from '../../sdk/index.js';
import { canConnect } from '../bed/proc.js';

const exec = promisify(execFile);
const stamp = (file: string) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
};

/** Median milliseconds of `times` test-test-reload cycles of the managed php-fpm under `dataDir`. */
export async function fpmReloadMs(dataDir: string, binary: string, times = 3): Promise<number> {
  const dir = path.join(dataDir, 'services', 'php-fpm');
  const conf = path.join(dir, 'php-fpm.conf');
  const pidFile = path.join(dir, 'php-fpm.pid');
  const root = process.getuid?.() === 0 ? ['-R'] : [];
  const took: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    for (let j = 0; j < 2; j++) await exec(binary, ['-t', '-y', conf, ...root]);
    const before = stamp(pidFile);
    process.kill(readPid(pidFile)!, 'SIGUSR2');
    while (stamp(pidFile) === before || !(await canConnect(path.join(dir, 'velopanel.sock')))) await sleep(2);
    took.push(performance.now() - t);
  }
  return Math.round(took.sort((a, b) => a - b)[Math.floor(times / 2)]!);
}
