// Same-run baseline of the create benchmark: what one change costs nginx alone on the bench's own
// private nginx — `nginx -t` of the whole configuration, then SIGHUP to the master and the wait
// until its old workers are gone (it retires them itself, after its 100 ms pause). A burst of
// creates must pay at least one of these for its answer to mean "served"; the load on the shared
// machine inflates both alike, so the ratio of the burst's p50 to it is the comparable figure.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { childPids, isAlive } from '../../sdk/index.js';

const exec = promisify(execFile);

/** Median milliseconds of `times` test-and-reload cycles of the nginx the plugin config points at. */
export async function nginxReloadMs(pluginConfig: Record<string, unknown>, times = 7): Promise<number> {
  const c = pluginConfig as { binary: string; prefix: string; conf: string; error_log: string };
  const args = ['-p', c.prefix, '-c', c.conf, '-e', c.error_log];
  const master = Number(readFileSync(path.join(c.prefix, 'nginx.pid'), 'utf8').trim());
  const took: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await exec(c.binary, [...args, '-t', '-q']);
    const before = childPids(master);
    process.kill(master, 'SIGHUP');
    while ([...before].some((p) => isAlive(p))) await sleep(2);
    took.push(performance.now() - t);
  }
  return Math.round(took.sort((a, b) => a - b)[Math.floor(times / 2)]!);
}
