import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { childPids, isAlive } from '../../sdk/index.js';

/** The `pid` directive of an nginx main config (relative paths resolve against the prefix). */
export function pidFileFromConf(confPath: string, prefix: string): string | null {
  try {
    const m = /^\s*pid\s+([^;\s]+)\s*;/m.exec(readFileSync(confPath, 'utf8'));
    return m ? path.resolve(prefix || '/', m[1]!) : null;
  } catch {
    return null;
  }
}

/** Whether `pid` runs the nginx binary (its command name), so a stale pid file is not signalled. */
export function isNginxProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'nginx';
  } catch {
    return false;
  }
}

/**
 * After a reload signal, wait (bounded) until the master has started workers that were not there
 * before, then briefly for the old ones to leave: from then on new connections get the new
 * configuration. Returns false when no new worker appeared in time.
 */
export async function waitForNewWorkers(master: number, before: Set<number>, maxMs: number): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  const poll = async (done: (now: Set<number>) => boolean, until: number, most: number) => {
    for (let delay = 5; Date.now() < until; delay = Math.min(delay * 2, most)) {
      if (!isAlive(master)) return false;
      if (done(childPids(master))) return true;
      await sleep(delay);
    }
    return done(childPids(master));
  };
  if (!(await poll((now) => [...now].some((p) => !before.has(p)), deadline, 100))) return false;
  // Old workers stop accepting once told to quit; most are gone within milliseconds. Each is
  // looked at by its pid: the kernel's children list may miss one that is exiting meanwhile.
  // nginx's master tells them about 100 ms after starting the new ones: looked at every 10 ms (a
  // signal-0 each), a waiting change is answered within a few ms of it, not up to 50 ms later.
  await poll(() => ![...before].some((p) => isAlive(p)), Math.min(deadline, Date.now() + 1000), 10);
  return true;
}
