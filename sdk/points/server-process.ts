import { existsSync, readdirSync, readFileSync } from 'node:fs';

// Linux reports process start times in clock ticks; USER_HZ is 100 on every mainstream kernel.
const CLOCK_TICKS = 100;

function stat(pid: number): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    return raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * The pid in a server's pid file, or null when the file is absent or unreadable.
 *
 * @example
 * ```ts
 * const pid = readPid('/run/nginx.pid');
 * if (isAlive(pid)) console.log(uptimeSecs(pid));
 * ```
 */
export function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Whether a pid is a live process (a zombie does not count). */
export function isAlive(pid: number | null): pid is number {
  if (!pid) return false;
  const s = stat(pid);
  return s !== null && s[0] !== 'Z';
}

/** Live pids whose parent is `pid` (for example the workers of a server's master process). */
export function childPids(pid: number): Set<number> {
  // The kernel's own list of each thread's children: a few small reads, where scanning /proc
  // reads the stat file of every process on the machine (polled while a reload lands).
  const listed = fromChildrenFiles(pid);
  const out = new Set<number>();
  for (const child of listed ?? allPids()) {
    const s = stat(child);
    if (s && Number(s[1]) === pid && s[0] !== 'Z') out.add(child);
  }
  return out;
}

/** Children from `/proc/<pid>/task/<tid>/children`, or null where the kernel does not offer it. */
function fromChildrenFiles(pid: number): number[] | null {
  try {
    const out: number[] = [];
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      for (const p of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' '))
        if (/^\d+$/.test(p)) out.push(Number(p));
    }
    return out;
  } catch (e) {
    // A process that is gone has no children; a kernel without the files falls back to the scan.
    return (e as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(`/proc/${pid}`) ? [] : null;
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

/** Seconds since a process started, from /proc; null when it is not there. */
export function uptimeSecs(pid: number): number | null {
  const s = stat(pid);
  if (!s) return null;
  try {
    const boot = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    return Math.max(0, Math.round(boot - Number(s[19]) / CLOCK_TICKS));
  } catch {
    return null;
  }
}
