// The SSH session helper as pam_exec runs it, against group directories of plain files: it trusts
// the PAM_USER and PAM_TYPE pam_exec appends last (not an earlier one a PAM module let a user set),
// looks up only names the panel could make, and refuses a panel account it cannot place.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { renderSessionHelper } from './session-helper.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'access-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const parents = ['memory', 'pids'].map((c) => path.join(dir, c, 'velopanel'));
const helper = path.join(dir, 'helper');
writeFileSync(helper, renderSessionHelper(parents));
chmodSync(helper, 0o700);
const procs = (c: string, u: string) => path.join(dir, c, 'velopanel', u, 'cgroup.procs');

beforeEach(() => {
  rmSync(path.join(dir, 'memory'), { recursive: true, force: true });
  rmSync(path.join(dir, 'pids'), { recursive: true, force: true });
  for (const u of ['alice', 'bob'])
    for (const c of ['memory', 'pids']) {
      mkdirSync(path.dirname(procs(c, u)), { recursive: true });
      writeFileSync(procs(c, u), '');
    }
  // carol has a memory group, and in pids a directory where cgroup.procs should be: no write
  mkdirSync(procs('pids', 'carol'), { recursive: true });
  mkdirSync(path.dirname(procs('memory', 'carol')), { recursive: true });
});

/** execve with exactly these environment entries, duplicates kept (as pam_exec may pass them). */
function run(env: string[]) {
  const code =
    'import ctypes,sys\n' +
    'libc=ctypes.CDLL(None)\n' +
    'a=(ctypes.c_char_p*2)(sys.argv[1].encode(),None)\n' +
    'e=[x.encode() for x in sys.argv[2:]]+[None]\n' +
    'libc.execve(a[0],a,(ctypes.c_char_p*len(e))(*e))\n' +
    'sys.exit(111)';
  const r = spawnSync('python3', ['-c', code, helper, ...env], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}
const written = (c: string, u: string) => readFileSync(procs(c, u), 'utf8').trim();
const pam = (user: string, type = 'open_session') => ['PAM_SERVICE=sshd', `PAM_USER=${user}`, `PAM_TYPE=${type}`];

describe('SSH session helper', () => {
  it("moves its parent (sshd's per-connection process) into every group of the account", () => {
    expect(run(['SSH_CONNECTION=127.0.0.1 1 127.0.0.1 22', ...pam('alice')])).toMatchObject({ code: 0 });
    // python execs the helper in place: its parent is this process
    expect([written('memory', 'alice'), written('pids', 'alice')]).toEqual([String(process.pid), String(process.pid)]);
  });

  it('takes the user name pam_exec appends last, not an earlier one from the PAM environment', () => {
    expect(run(['PAM_USER=bob', 'X=1\nPAM_USER=bob', ...pam('alice')]).code).toBe(0);
    expect(written('memory', 'bob')).toBe('');
    expect(written('memory', 'alice')).toBe(String(process.pid));
  });

  it('does nothing when the session closes, whatever an earlier PAM_TYPE says', () => {
    expect(run(['PAM_TYPE=open_session', ...pam('alice', 'close_session')]).code).toBe(0);
    expect(written('memory', 'alice')).toBe('');
  });

  it('passes users the panel did not make, or without groups, untouched', () => {
    for (const u of ['', 'Alice', 'a.b', '../velopanel/alice', 'alice/../bob', 'root', '1alice', 'alice bob'])
      expect(run(pam(u)), u).toMatchObject({ code: 0 });
    expect([written('memory', 'alice'), written('memory', 'bob')]).toEqual(['', '']);
  });

  it('refuses the session of an account whose group it cannot enter', () => {
    const r = run(pam('carol'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SSH session of carol refused');
  });

  it('writes no directory it would not quote safely into the script', () => {
    expect(() => renderSessionHelper(['/sys/fs/cgroup/memory/velo panel'])).toThrow(/refusing/);
    expect(() => renderSessionHelper(['relative/velopanel'])).toThrow(/refusing/);
    expect(() => renderSessionHelper([])).toThrow();
  });
});
