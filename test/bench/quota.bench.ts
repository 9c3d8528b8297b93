// Benchmark: reading disk usage of 1,000 accounts from the quota report against walking their
// homes (`du -s -x -m` per home, what the panel does without kernel quotas), in the same run.
// Homes are subvolumes of a loop-mounted btrfs with qgroups (this machine's kernel lacks the
// user-quota formats, see test/limits/user-quota-linux.test.ts), 20 files of 4-16 KB each.
// Both read the same homes after the same sync; the figures include whether they agree.
// `npm run bench -- quota` keeps the one JSON line this prints. Root only.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { SystemExec } from '../../core/exec.js';
import { detectDiskQuota } from '../../plugins/accounts/quota.js';
import { loopFs, sh } from '../limits/loop-fs.js';
import { report } from './report.js';

const ACCOUNTS = 1000;
const FILES = 20;
const ROUNDS = 3;
const round = (x: number) => Math.round(x * 10) / 10;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  let best = Infinity;
  let value!: T;
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    value = await fn();
    best = Math.min(best, performance.now() - t);
  }
  return { ms: round(best), value };
}

it('reads usage of 1,000 accounts from the quota report and by walking homes', async () => {
  const fs = loopFs('btrfs', '2G');
  try {
    const exec = new SystemExec();
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({
      username: `bench${i}`,
      uid: 100_000 + i,
      home_dir: path.join(fs.homes, `bench${i}`),
    }));
    const quota = await detectDiskQuota(exec, fs.homes, true);
    if (quota.kind !== 'btrfs-qgroup') throw new Error(`expected btrfs qgroups, got ${quota.kind}: ${quota.reason}`);
    for (const [i, a] of accounts.entries()) {
      await quota.makeHome!(a.home_dir);
      mkdirSync(path.join(a.home_dir, 'public_html'));
      for (let f = 0; f < FILES; f++)
        writeFileSync(path.join(a.home_dir, 'public_html', `f${f}.bin`), Buffer.alloc(4096 * (1 + ((i + f) % 4)), 1));
    }
    sh('sync');
    const fromQuota = await timed(() => quota.read(accounts));
    const walking = await timed(async () => {
      const out = new Map<string, number>();
      for (const a of accounts)
        out.set(
          a.username,
          Number(/^(\d+)/.exec((await exec.run('du', ['-s', '-x', '-m', '--', a.home_dir])).stdout)?.[1]),
        );
      return out;
    });
    const agree = accounts.filter(
      (a) => fromQuota.value.get(a.username)?.used_mb === walking.value.get(a.username),
    ).length;
    report('quota', {
      accounts: ACCOUNTS,
      files_per_account: FILES,
      method: quota.kind,
      rounds_best_of: ROUNDS,
      quota_report_ms: fromQuota.ms,
      walking_ms: walking.ms,
      walking_vs_quota: round(walking.ms / fromQuota.ms),
      accounts_read_by_quota: fromQuota.value.size,
      usage_agrees_mb: agree,
    });
  } finally {
    fs.remove();
  }
});
