import { readFileSync, writeFileSync } from 'node:fs';

/** Print the benchmark's one result line (the last JSON line `npm run bench` keeps). */
export function report(bench: string, figures: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ bench, ...figures })}\n`);
}

/** Peak RSS of a process so far (VmHWM), in MB, from /proc. */
export async function peakRssMb(pid: number | 'self' = 'self'): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/**
 * Restart a process's peak RSS (VmHWM) from its current RSS (`5` to clear_refs, Linux 4.0+), so a
 * later {@link peakRssMb} is the peak of what ran since. Answers the peak before the reset, or null
 * where the kernel refuses (the peak then still counts from the start).
 */
export function resetPeakRss(pid: number): { lifePeak: number } | null {
  const before = Math.round(
    Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
  );
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return { lifePeak: before };
  } catch {
    return null;
  }
}

/** Current RSS of a process, in MB, from /proc. */
export async function rssMb(pid: number | 'self' = 'self'): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/** CPU time (user + system) a process has used so far, in milliseconds, from /proc. */
export function cpuMs(pid: number): number {
  // fields after the command name: state is [0], utime [11], stime [12], in clock ticks (100/s)
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
