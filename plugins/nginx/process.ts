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

/** The title nginx gives a process (`nginx: worker process`, `… is shutting down`), or null when unreadable. */
function title(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!;
  } catch {
    return null;
  }
}

// A worker gets this title once its event loop is set up (listening sockets included), and keeps it
// until told to quit ("… is shutting down"); a child just forked still shows the master's title.
const SERVING = 'nginx: worker process';
const CACHE = /^nginx: cache (manager|loader) process$/;

/** The workers among `pids` that accept connections (not those already shutting down). */
export function servingWorkers(pids: Iterable<number>): number[] {
  return [...pids].filter((p) => title(p) === SERVING);
}

/**
 * After a reload signal, wait (bounded) until the master has started workers that were not there
 * before, then for the old ones to leave: from then on new connections get the new configuration.
 * Returns false when no new worker appeared in time (the old workers are then left alone).
 * `serving`: the old workers that accepted connections before the signal.
 */
export async function waitForNewWorkers(
  master: number,
  before: Set<number>,
  maxMs: number,
  serving: number[] = servingWorkers(before),
): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  const poll = async (done: (now: Set<number>) => boolean, until: number, most: number) => {
    for (let delay = 5; Date.now() < until; delay = Math.min(delay * 2, most)) {
      if (!isAlive(master)) return false;
      if (done(childPids(master))) return true;
      await sleep(delay);
    }
    return done(childPids(master));
  };
  const fresh = (now: Set<number>) => [...now].filter((p) => !before.has(p));
  // A cache manager or loader serves no connection: the answer does not wait for the old one.
  const old = [...before].filter((p) => !CACHE.test(title(p) ?? ''));
  if (!(await poll((now) => fresh(now).length > 0, deadline, 10))) return false;
  // The master sleeps 100 ms after starting the new workers before it tells the old ones to quit
  // (ngx_msleep(100) in its cycle). Once as many new workers serve as old ones did, the panel tells
  // the old ones itself, with the same signal nginx uses (QUIT: close the listening sockets, finish
  // the requests under way, exit), and the master's own QUIT later changes nothing. Fewer new
  // workers (asked for fewer, or slower to start than the master's pause): its QUIT, as before.
  const quorum = Math.max(1, serving.length);
  const ready = (now: Set<number>) => servingWorkers(fresh(now)).length >= quorum;
  if (await poll((now) => ready(now) || servingWorkers(serving).length === 0, Math.min(deadline, Date.now() + 1000), 5))
    retire(master, serving);
  // Most old workers are gone within milliseconds of the QUIT. Each is looked at by its pid: the
  // kernel's children list may miss one that is exiting meanwhile. Looked at every 10 ms (a
  // signal-0 each), a waiting change is answered within a few ms of them leaving.
  await poll(() => !old.some((p) => isAlive(p)), Math.min(deadline, Date.now() + 1000), 10);
  return true;
}

/** QUIT to each old worker still serving as a child of the master (never to a pid reused meanwhile). */
function retire(master: number, serving: number[]): void {
  const children = childPids(master);
  for (const pid of serving) {
    if (!children.has(pid) || title(pid) !== SERVING) continue;
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      // Not ours to signal (another user's nginx): the master's own QUIT follows.
    }
  }
}
