import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExecService, Logger } from '../../sdk/index.js';
import { AccessConfig } from './config.js';
import { renderMatchFile, SshdMatch } from './sshd.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'access-sshd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A real `sshd -t` (it needs a host key and a main configuration of its own).
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host')]);
const live = path.join(dir, 'velopanel.conf');
const main = path.join(dir, 'sshd_config');
writeFileSync(main, `HostKey ${path.join(dir, 'host')}\nUsePAM yes\nInclude ${live}\n`);
const exec: ExecService = {
  run: async (cmd, args, o) => {
    const r = spawnSync(cmd, args, { input: o?.input });
    return { code: r.status ?? 1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
  },
  stream: async () => {
    throw new Error('unused');
  },
  which: async () => null,
};
const log = {
  warn: () => undefined,
  info: () => undefined,
  error: () => undefined,
  debug: () => undefined,
} as unknown as Logger;
const cfg = (over: Partial<AccessConfig> = {}) =>
  ({
    sshd_binary: '/usr/sbin/sshd',
    sshd_config: main,
    match_file: live,
    sshd_pid_file: path.join(dir, 'none.pid'),
    sshd_reload_command: [],
    ...over,
  }) as AccessConfig;

describe('renderMatchFile', () => {
  it('chroots sftp-only users, refuses every method to denied ones, and ends global again', () => {
    const text = renderMatchFile({ sftp: ['bob', 'amy'], denied: ['eve'] }, '/usr/sbin/nologin');
    expect(text).toContain(
      'Match User amy,bob\n    ChrootDirectory %h\n    ForceCommand internal-sftp -d /public_html\n',
    );
    expect(text).toMatch(/Match User eve\n    PubkeyAuthentication no\n    PasswordAuthentication no\n/);
    expect(text.trimEnd().endsWith('Match all')).toBe(true);
  });

  it('refuses a name that could widen the match', () => {
    for (const name of ['*', 'a,root', '!root', 'a b', 'x\nMatch all'])
      expect(() => renderMatchFile({ sftp: [name], denied: [] }, '/usr/sbin/nologin')).toThrow(/refusing/);
  });
});

describe('SshdMatch.apply', () => {
  it('tests the candidate with sshd -t before it replaces the live file', async () => {
    const m = new SshdMatch(cfg(), exec, log);
    const good = renderMatchFile({ sftp: ['amy'], denied: ['eve'] }, '/usr/sbin/nologin');
    await m.apply(good);
    expect(readFileSync(live, 'utf8')).toBe(good);
    await expect(m.apply('Match User amy\n    NoSuchKeyword yes\n')).rejects.toMatchObject({ status: 502 });
    expect(readFileSync(live, 'utf8')).toBe(good);
    expect(existsSync(`${live}.new`) || existsSync(`${live}.test-main`)).toBe(false);
  });

  it('answers 503 when sshd does not include the managed file', async () => {
    const other = path.join(dir, 'other.conf');
    await expect(new SshdMatch(cfg({ match_file: other }), exec, log).apply('# x\n')).rejects.toMatchObject({
      status: 503,
    });
    expect(existsSync(other)).toBe(false);
  });
});
