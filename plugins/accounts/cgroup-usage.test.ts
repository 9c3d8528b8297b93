// The usage readers parse the kernel's counter files as each cgroup version writes them (here in
// a temp dir: this machine has v1 only, so v2's files are written by hand in the kernel's format).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectCgroups } from './cgroups.js';
import { v1Usage, v2Usage } from './cgroup-usage.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'velopanel-cgu-'));
const files = (dir: string, content: Record<string, string>) => {
  mkdirSync(path.join(root, dir), { recursive: true });
  for (const [f, v] of Object.entries(content)) writeFileSync(path.join(root, dir, f), v);
  return path.join(root, dir);
};

describe('cgroup usage readers', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads v2 memory.current, cpu.stat usage_usec and pids.current', () => {
    const dir = files('v2', {
      'memory.current': '26214400\n',
      'cpu.stat': 'usage_usec 4250000\nuser_usec 3000000\nsystem_usec 1250000\n',
      'pids.current': '3\n',
    });
    expect(v2Usage(dir)).toEqual({ memory_mb: 25, cpu_seconds: 4.25, processes: 3 });
  });

  it('reads v1 cpuacct.usage from the cpu group when co-mounted, else the cpuacct group, else null', () => {
    const memory = files('v1/memory', { 'memory.usage_in_bytes': '104858\n' });
    const pids = files('v1/pids', { 'pids.current': '1\n' });
    const cpu = files('v1/cpu', { 'cpu.cfs_quota_us': '-1\n' });
    const acct = files('v1/cpuacct', { 'cpuacct.usage': '1500000000\n' });
    expect(v1Usage(memory, pids, [cpu])).toEqual({ memory_mb: 0.1, cpu_seconds: null, processes: 1 });
    expect(v1Usage(memory, pids, [cpu, acct])).toEqual({ memory_mb: 0.1, cpu_seconds: 1.5, processes: 1 });
    writeFileSync(path.join(cpu, 'cpuacct.usage'), '2000000000\n');
    expect(v1Usage(memory, pids, [cpu, acct])?.cpu_seconds).toBe(2);
  });

  it('answers null for a group that is gone, and none measures nothing', () => {
    expect(v2Usage(path.join(root, 'missing'))).toBeNull();
    expect(v1Usage(path.join(root, 'missing'), path.join(root, 'missing'), [])).toBeNull();
    expect(detectCgroups(false).usage('someone')).toBeNull();
  });
});
