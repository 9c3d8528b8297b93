// Everything the bed started in this process and has not stopped yet. The emergency path
// (process 'exit', signals; see lifecycle.ts) signals these daemons and cleans up even mid-start.
import { readdirSync, readFileSync, rmSync } from 'node:fs';

interface Tracked {
  /** null: never signalled, only waited for (useradd & co. must not die half-way) */
  signal: NodeJS.Signals | null;
  exited: () => boolean;
  /** the pid leads its own process group: signal and wait for the whole group */
  group: boolean;
}

const liveDaemons = new Map<number, Tracked>();
const liveDirs = new Set<string>();
const syncCleanups = new Set<() => void>();

/** Returns the function that forgets the process (call it once it has exited). */
export function trackDaemon(pid: number, signal: Tracked['signal'], exited: () => boolean, group = false): () => void {
  liveDaemons.set(pid, { signal, exited, group });
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
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// a stopped daemon may linger as a zombie until reaped, so "alive" means: not a zombie
function stat(pid: string): { state: string; pgrp: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, , pgrp] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: state ?? 'Z', pgrp: Number(pgrp) };
  } catch {
    return undefined;
  }
}

function alive(pid: number, t: Tracked): boolean {
  if (!t.group) return (stat(String(pid))?.state ?? 'Z') !== 'Z';
  return readdirSync('/proc').some((p) => {
    const st = /^\d+$/.test(p) ? stat(p) : undefined;
    return st !== undefined && st.pgrp === pid && st.state !== 'Z';
  });
}

/** Signal every live daemon, wait (bounded) for them, SIGKILL the rest, run cleanups, drop dirs. */
export function emergencyStopSync(graceMs = 8_000): void {
  const live = [...liveDaemons.entries()].filter(([, t]) => !t.exited());
  liveDaemons.clear();
  const signal = (pid: number, t: Tracked, sig: NodeJS.Signals) => signalSync(t.group ? -pid : pid, sig);
  live.forEach(([pid, t]) => t.signal && signal(pid, t, t.signal));
  const deadline = Date.now() + graceMs;
  while (live.some(([pid, t]) => alive(pid, t)) && Date.now() < deadline) sleepSync(50);
  live.filter(([pid, t]) => t.signal && alive(pid, t)).forEach(([pid, t]) => signal(pid, t, 'SIGKILL'));
  for (const fn of [...syncCleanups]) {
    try {
      fn();
    } catch {
      /* keep cleaning the rest */
    }
  }
  syncCleanups.clear();
  for (const dir of liveDirs) {
    if (process.env.VELOPANEL_BED_KEEP) continue;
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      /* best effort */
    }
  }
  liveDirs.clear();
}
