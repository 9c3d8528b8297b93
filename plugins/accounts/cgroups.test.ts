// Where no cgroup hierarchy with memory, cpu and pids can be used, detection says so and why,
// and the group operations do nothing (never a pretended limit).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectCgroups } from './cgroups.js';

const limits = { disk_quota_mb: 1, inodes: null, cpu_percent: 50, memory_mb: 32, max_processes: 10 };

describe('cgroup detection', () => {
  it('reports none in local mode', () => {
    expect(detectCgroups(false)).toMatchObject({
      kind: 'none',
      reason: 'local mode: accounts run no processes of their own',
    });
  });

  it('reports none, naming what is missing, where no hierarchy has the controllers', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'velopanel-cg-'));
    try {
      const c = detectCgroups(true, dir);
      expect(c).toMatchObject({
        kind: 'none',
        reason: `no writable cgroup hierarchy: v2 at ${dir} lacks memory/cpu/pids and v1 lacks memory, cpu, pids`,
      });
      c.apply('someone', limits);
      expect(c.read('someone')).toBeNull();
      expect(c.place('someone', [String(process.pid)])).toBe(0);
      expect(existsSync(path.join(dir, 'velopanel'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports none for a v2 mount without controllers (here: the hybrid layout's unified mount), or no mount", () => {
    expect(detectCgroups(true, '/sys/fs/cgroup/unified').kind).toBe('none');
  });
});
