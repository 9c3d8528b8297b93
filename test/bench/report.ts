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

/** Current RSS of a process, in MB, from /proc. */
export async function rssMb(pid: number | 'self' = 'self'): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}
