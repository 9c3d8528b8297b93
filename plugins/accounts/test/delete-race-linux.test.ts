// Deleting an account while its tenant swaps a folder of its home for a link (linux mode, root,
// real users): the swapper runs as the account in another root, where userdel does not look, and
// turns `~/race/d` into a link to someone else's folder as soon as the delete starts emptying it.
// Another tenant's site and a root-owned folder outside every home must survive, and the
// attacker's home must be gone.
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireRoot } from '../../../test/bed/index.js';
import { systemIds, useLinuxPanel } from './linux-panel.js';
import { SWAP_WHEN_DELETING, tenantProcess } from './tenant-procs.js';

const root = requireRoot();
const prefix = `vpx${randomBytes(3).toString('hex')}`;
let rootOwned = '';

/** The pid of a step of the delete running as this uid right now (its kill, its temp-file sweep, chmod, rm), or null. */
function runningAs(uid: number): number | null {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      // A zombie (finished, not yet reaped) takes SIGSTOP and holds nothing: only a live one counts.
      if (
        /^Name:\s+(chmod|rm|find|sh|kill)$/m.test(status) &&
        !/^State:\s+Z/m.test(status) &&
        new RegExp(`^Uid:\\s+${uid}\\s`, 'm').test(status)
      )
        return Number(pid);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/** Whether the process is now stopped (it may have ended just before the SIGSTOP reached it). */
function stopped(pid: number): boolean {
  for (let i = 0; i < 100; i++) {
    try {
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (state === 'T' || state === 't') return true;
      if (state === 'Z' || state === 'X') return false;
    } catch {
      return false;
    }
  }
  return false;
}

/** Send a signal; false when the process is already gone. */
function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(root.skip)('deleting an account whose tenant swaps folders for links (linux mode)', () => {
  const { request, create } = useLinuxPanel(
    prefix,
    () => rootOwned && rmSync(rootOwned, { recursive: true, force: true }),
  );
  beforeAll(() => {
    rootOwned = mkdtempSync(path.join(os.tmpdir(), 'vp-root-owned-'));
    mkdirSync(path.join(rootOwned, 'public_html'));
    writeFileSync(path.join(rootOwned, 'public_html', 'keep'), 'root keeps this');
  });

  it("removes only the attacker's home: another tenant's site and a root-owned folder survive", async () => {
    const victim = await create('v');
    const victimPage = path.join(victim.home_dir, 'public_html', 'index.html');
    writeFileSync(victimPage, 'victim site');
    for (const [name, target] of [
      ['a', victim.home_dir],
      ['b', rootOwned],
    ] as const) {
      const attacker = await create(name);
      const own = systemIds(attacker.username);
      // Many files first, then a folder named like the victim's: it is reached last, through the link.
      const made = spawnSync(
        'sh',
        ['-c', 'mkdir -p race/d && cd race/d && seq -f f%g 15000 | xargs touch && mkdir public_html'],
        { cwd: attacker.home_dir, ...own, encoding: 'utf8' },
      );
      expect(made.stderr).toBe('');
      const swapper = tenantProcess(SWAP_WHEN_DELETING, path.join(attacker.home_dir, 'race'), own, [target]);
      try {
        await swapper.ready;
        const res = await request('DELETE', `/api/accounts/${attacker.id}`);
        expect(readFileSync(victimPage, 'utf8')).toBe('victim site');
        expect(readFileSync(path.join(rootOwned, 'public_html', 'keep'), 'utf8')).toBe('root keeps this');
        expect({ status: res.status, error: res.body.error }).toEqual({ status: 200, error: undefined });
        expect(swapper.running()).toBe(false);
        expect(await swapper.exited).toBe('SIGKILL');
        expect(existsSync(attacker.home_dir)).toBe(false);
      } finally {
        await swapper.stop();
      }
    }
    // Two tenants of 15,000 files each, made and deleted: over 60 s when the machine is loaded.
  }, 240_000);

  it('keeps answering while a big home is removed: the removal runs in a child process, as the account', async () => {
    const big = await create('big');
    const own = systemIds(big.username);
    // Not spawnSync: a panel whose event loop is held that long drops its idle keep-alive sockets.
    const made = await promisify(execFile)('sh', ['-c', 'mkdir -p many && cd many && seq -f f%g 80000 | xargs touch'], {
      cwd: big.home_dir,
      ...own,
    });
    expect(made.stderr).toBe('');
    let deleted = false;
    const res = request('DELETE', `/api/accounts/${big.id}`);
    res.then(
      () => (deleted = true),
      () => (deleted = true),
    );
    // Catch the removal running as the account (an in-process removal never shows one) and hold it.
    let held: number | null = null;
    for (let i = 0; i < 5_000 && !deleted && held === null; i++) {
      const pid = runningAs(own.uid);
      if (pid !== null && signal(pid, 'SIGSTOP') && stopped(pid)) held = pid;
      else await sleep(1);
    }
    try {
      const listed = await request('GET', '/api/accounts');
      expect({ status: listed.status, deletedMeanwhile: deleted, held: held !== null }).toEqual({
        status: 200,
        deletedMeanwhile: false,
        held: true,
      });
    } finally {
      if (held !== null) signal(held, 'SIGCONT');
    }
    expect((await res).status).toBe(200);
    expect(existsSync(big.home_dir)).toBe(false);
  }, 240_000);
});
