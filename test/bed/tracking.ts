// Everything the bed started in this process and has not stopped yet. The emergency path
// (process 'exit', signals; see lifecycle.ts) signals these daemons and cleans up even mid-start.
import { readFileSync, rmSync } from 'node:fs';

const liveDaemons = new Map<number, { signal: NodeJS.Signals; exited: () => boolean }>();
const liveDirs = new Set<string>();
const syncCleanups = new Set<() => void>();

/** Returns the function that forgets the daemon (call it once it has exited). */
export function trackDaemon(pid: number, signal: NodeJS.Signals, exited: () => boolean): () => void {
  liveDaemons.set(pid, { signal, exited });
  return () => liveDaemons.delete(pid);
}

export function trackDir(dir: string): void {
  liveDirs.add(dir);
}

export function untrackDir(dir: string): void {
  liveDirs.delete(dir);
}

/** Registers a synchronous cleanup (e.g. userdel) for the emergency path; returns its remover. */
export function onEmergency(fn: () => void): () => void {
  syncCleanups.add(fn);
  return () => syncCleanups.delete(fn);
}

/** Signal that tolerates processes that are already gone. */
export function signalSync(pid: number, signal: NodeJS.Signals): void {
  try { process.kill(pid, signal); } catch { /* already gone */ }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// a stopped daemon may linger as a zombie until reaped, so "alive" means: not a zombie
function pidAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Signal every live daemon, wait (bounded) for them, SIGKILL the rest, run cleanups, drop dirs. */
export function emergencyStopSync(graceMs = 8_000): void {
  const pids = [...liveDaemons.entries()].filter(([, d]) => !d.exited()).map(([pid, d]) => {
    signalSync(pid, d.signal);
    return pid;
  });
  liveDaemons.clear();
  const deadline = Date.now() + graceMs;
  while (pids.some(pidAlive) && Date.now() < deadline) sleepSync(50);
  pids.filter(pidAlive).forEach((pid) => signalSync(pid, 'SIGKILL'));
  for (const fn of [...syncCleanups]) {
    try { fn(); } catch { /* keep cleaning the rest */ }
  }
  syncCleanups.clear();
  for (const dir of liveDirs) if (!process.env.VELOPANEL_BED_KEEP) rmSync(dir, { recursive: true, force: true });
  liveDirs.clear();
}
