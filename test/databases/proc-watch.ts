// Watches every process's argv (/proc/<pid>/cmdline) while an operation runs: records any argv
// holding a secret and every sighting of the tools of interest. Bounded: it stops by itself after
// MAX_SCANS scans, and then also releases whoever waits for a sighting (the test then fails).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';

const MAX_SCANS = 20_000;

export interface Sighting {
  pid: number;
  argv: string[];
  /** For MySQL tools: mode of the `--defaults-file` and its directory at the moment of sighting. */
  optionFile?: { path: string; mode: number; dirMode: number };
}

export interface CmdlineWatch {
  /** Resolves at the first sighting of a tool (or when the watch gives up). */
  sighted: Promise<void>;
  stop(): Promise<{ leaks: string[][]; sightings: Sighting[]; scans: number }>;
}

function argvOf(pid: string): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw ? raw.replace(/\0$/, '').split('\0') : null;
  } catch {
    return null;
  }
}

function parentOf(pid: string): string | null {
  try {
    // Field 4 of /proc/<pid>/stat, after the parenthesised command name (which may hold spaces).
    return (
      readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /s, '')
        .split(' ')[1] ?? null
    );
  } catch {
    return null;
  }
}

/** Whether a process descends from this test process (other test files run tools at the same time). */
function isOurs(pid: string): boolean {
  let current: string | null = pid;
  for (let depth = 0; current && current !== '1' && depth < 8; depth++) {
    current = parentOf(current);
    if (current === String(process.pid)) return true;
  }
  return false;
}

function optionFileOf(argv: string[]): Sighting['optionFile'] {
  const file = argv.find((a) => a.startsWith('--defaults-file='))?.slice('--defaults-file='.length);
  if (!file) return undefined;
  try {
    return { path: file, mode: statSync(file).mode & 0o777, dirMode: statSync(path.dirname(file)).mode & 0o777 };
  } catch {
    return undefined;
  }
}

export function watchCmdlines(secrets: string[], tools: RegExp): CmdlineWatch {
  const leaks: string[][] = [];
  const sightings: Sighting[] = [];
  let release!: () => void;
  const sighted = new Promise<void>((r) => (release = r));
  let running = true;
  let scans = 0;
  const done = (async () => {
    for (; running && scans < MAX_SCANS; scans++) {
      for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n) && Number(n) !== process.pid)) {
        const argv = argvOf(pid);
        if (!argv) continue;
        if (secrets.some((s) => argv.some((a) => a.includes(s)))) leaks.push(argv);
        // Debian's pg_dump/psql are perl wrappers: the tool is argv[1] there, argv[0] once exec'd.
        if (argv.slice(0, 2).some((a) => tools.test(path.basename(a))) && isOurs(pid)) {
          sightings.push({ pid: Number(pid), argv, optionFile: optionFileOf(argv) });
          release();
        }
      }
      await tick();
    }
    release();
  })();
  return {
    sighted,
    async stop() {
      running = false;
      await done;
      return { leaks, sightings, scans };
    },
  };
}
