import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

// What an account's group has used, read from the kernel's counters (tiny files, read on each
// answer rather than stored: the numbers change every second and cost nothing to read).

/** Usage of one group: memory now (MB), CPU time since the group was made, processes in it. */
export interface GroupUsage {
  memory_mb: number;
  /** Null where no CPU accounting controller covers the group (v1 without cpuacct). */
  cpu_seconds: number | null;
  processes: number;
}

const num = (file: string): number | null => {
  try {
    const n = Number(readFileSync(file, 'utf8').trim().split(/\s+/)[0]);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
};

/** One decimal: a small site's few hundred KB still shows as more than nothing. */
const mb = (bytes: number) => Math.round(bytes / 104_857.6) / 10;
const seconds = (s: number) => Math.round(s * 100) / 100;

/**
 * cgroup v1: memory.usage_in_bytes, pids.current, and cpuacct.usage (ns) from the first of these
 * dirs that has it (the cpu group when cpu and cpuacct are co-mounted, else the cpuacct group).
 */
export function v1Usage(memoryDir: string, pidsDir: string, cpuacctDirs: string[]): GroupUsage | null {
  const memory = num(path.join(memoryDir, 'memory.usage_in_bytes'));
  const processes = num(path.join(pidsDir, 'pids.current'));
  if (memory === null || processes === null) return null;
  const acct = cpuacctDirs.map((d) => path.join(d, 'cpuacct.usage')).find((f) => existsSync(f));
  const ns = acct ? num(acct) : null;
  return { memory_mb: mb(memory), cpu_seconds: ns === null ? null : seconds(ns / 1e9), processes };
}

/** cgroup v2: memory.current, pids.current and cpu.stat's usage_usec. */
export function v2Usage(dir: string): GroupUsage | null {
  const memory = num(path.join(dir, 'memory.current'));
  const processes = num(path.join(dir, 'pids.current'));
  if (memory === null || processes === null) return null;
  let usec: number | null = null;
  try {
    const line = readFileSync(path.join(dir, 'cpu.stat'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('usage_usec '));
    usec = line ? Number(line.split(' ')[1]) : null;
  } catch {
    // no cpu.stat: CPU time unknown, the rest still stands
  }
  return {
    memory_mb: mb(memory),
    cpu_seconds: usec === null || !Number.isFinite(usec) ? null : seconds(usec / 1e6),
    processes,
  };
}
