import { readdir, readFile } from 'node:fs/promises';

/** A running process as the system page lists it. */
export interface ProcessInfo {
  pid: number;
  name: string;
  user: string;
  state: string;
  /** Share of the whole machine's CPU time over the sampling window (0–100). */
  cpu_percent: number;
  memory_mb: number;
  threads: number;
}

interface Snapshot {
  ticks: Map<number, number>;
  total: number;
}

async function totalTicks(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!;
  return line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number)
    .reduce((a, b) => a + b, 0);
}

/** `(comm)` may hold spaces and parentheses: the fields after it start at the last `)`. */
async function readStat(pid: number): Promise<{ name: string; state: string; ticks: number } | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const rest = stat.slice(close + 2).split(' ');
    return {
      name: stat.slice(stat.indexOf('(') + 1, close),
      state: rest[0] ?? '?',
      ticks: Number(rest[11] ?? 0) + Number(rest[12] ?? 0),
    };
  } catch {
    return null;
  }
}

async function pids(): Promise<number[]> {
  return (await readdir('/proc')).filter((n) => /^\d+$/.test(n)).map(Number);
}

async function snapshot(): Promise<Snapshot> {
  const ticks = new Map<number, number>();
  await Promise.all(
    (await pids()).map(async (pid) => {
      const s = await readStat(pid);
      if (s) ticks.set(pid, s.ticks);
    }),
  );
  return { ticks, total: await totalTicks() };
}

async function users(): Promise<Map<number, string>> {
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
  return new Map(
    passwd
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(':'))
      .map((f) => [Number(f[2]), f[0]!] as [number, string]),
  );
}

/**
 * The busiest processes: CPU from two /proc samples `windowMs` apart, resident memory and owner
 * from /proc/<pid>/status. Only names (comm), never command lines, which may carry secrets.
 */
export async function topProcesses(limit = 50, windowMs = 250): Promise<{ count: number; processes: ProcessInfo[] }> {
  const before = await snapshot();
  await new Promise((r) => setTimeout(r, windowMs));
  const [after, names] = await Promise.all([snapshot(), users()]);
  const elapsed = Math.max(1, after.total - before.total);
  const list = await Promise.all(
    [...after.ticks.keys()].map(async (pid): Promise<ProcessInfo | null> => {
      const [stat, status] = await Promise.all([
        readStat(pid),
        readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''),
      ]);
      if (!stat) return null;
      const field = (k: string) => new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1];
      const uid = Number(field('Uid') ?? -1);
      const used = (after.ticks.get(pid) ?? 0) - (before.ticks.get(pid) ?? after.ticks.get(pid) ?? 0);
      return {
        pid,
        name: stat.name,
        user: names.get(uid) ?? String(uid),
        state: stat.state,
        cpu_percent: Math.round((Math.max(0, used) / elapsed) * 1000) / 10,
        memory_mb: Math.round(Number(field('VmRSS') ?? 0) / 102.4) / 10,
        threads: Number(field('Threads') ?? 1),
      };
    }),
  );
  const all = list.filter((p): p is ProcessInfo => p !== null);
  all.sort((a, b) => b.cpu_percent - a.cpu_percent || b.memory_mb - a.memory_mb);
  return { count: all.length, processes: all.slice(0, limit) };
}
