import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';

/** CPU usage from two /proc/stat samples (falls back to os.cpus() times). */
export async function cpuUsagePercent(sampleMs = 200): Promise<number> {
  const a = await cpuTimes();
  await new Promise((r) => setTimeout(r, sampleMs));
  const b = await cpuTimes();
  const total = b.total - a.total;
  return total > 0 ? Math.round(((b.busy - a.busy) / total) * 1000) / 10 : 0;
}

async function cpuTimes(): Promise<{ busy: number; total: number }> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.reduce((s, x) => s + x, 0);
    return { busy: total - idle, total };
  } catch {
    let busy = 0;
    let total = 0;
    for (const c of os.cpus()) {
      const t = c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq;
      total += t;
      busy += t - c.times.idle;
    }
    return { busy, total };
  }
}

/** Memory in MB from /proc/meminfo (MemAvailable counts as free), else os. */
export async function memoryMb(): Promise<{ total_mb: number; used_mb: number }> {
  try {
    const info = await readFile('/proc/meminfo', 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? 0);
    const total = kb('MemTotal');
    return { total_mb: Math.round(total / 1024), used_mb: Math.round((total - kb('MemAvailable')) / 1024) };
  } catch {
    return {
      total_mb: Math.round(os.totalmem() / 1048576),
      used_mb: Math.round((os.totalmem() - os.freemem()) / 1048576),
    };
  }
}

/** Disk of the filesystem holding `dir`, from statfs. */
export async function diskMb(dir: string): Promise<{ total_mb: number; used_mb: number }> {
  const s = await statfs(dir);
  const total = s.blocks * s.bsize;
  const free = s.bfree * s.bsize;
  return { total_mb: Math.round(total / 1048576), used_mb: Math.round((total - free) / 1048576) };
}

/** "Linux (Debian GNU/Linux 12 (bookworm))" from /etc/os-release. */
export async function osName(): Promise<string> {
  try {
    const rel = await readFile('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(rel)?.[1];
    return pretty ? `${os.type()} (${pretty})` : os.type();
  } catch {
    return `${os.type()} ${os.release()}`;
  }
}
