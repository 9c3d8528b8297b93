// Shared set-up of the SSH test files: a private instance of the bed's sshd (its config includes
// the panel's Match file; the shell tests reload it, which must not drop the connections of other
// files using the shared one), a linux-mode panel with the access plugin and a private nginx,
// homes under /srv (sshd chroots only below root-owned, not group/world-writable directories:
// not under /tmp), one account and two ed25519 key pairs.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { removeLeftoverUsers } from '../../../test/accounts/linux-users.js';
import { startSshd } from '../../../test/bed/services/sshd.js';
import type { TestResponse } from '../../../sdk/testing/index.js';
import type { SshdInfo } from '../../../test/bed/types.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../../../test/webserver/helpers.js';

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

/** A key pair made by ssh-keygen (comment `<name>@test`). */
export function keypair(dir: string, name: string, args = ['-t', 'ed25519']): KeyPair {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', ...args, '-N', '', '-C', `${name}@test`, '-f', file]);
  return { privateKey: readFileSync(file, 'utf8'), publicKey: readFileSync(`${file}.pub`, 'utf8').trim() };
}

const passwdField = (name: string, i: number) =>
  readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))
    ?.split(':')[i];

export interface SshSetup {
  h: HostingPanel;
  sshd: SshdInfo;
  /** The account (with its uid), made with the API's password `UserPass123`. */
  a: any;
  prefix: string;
  keys: string;
  k1: KeyPair;
  k2: KeyPair;
  api(method: string, p: string, body?: unknown): Promise<TestResponse>;
  /** Key login of the account with k1. */
  login(): { username: string; privateKey: string };
}

/**
 * Register beforeAll/afterAll; the fields are filled before the tests run. `ownPam`: the sshd runs
 * under its own PAM stack and the panel manages the session line in it (helper under the homes'
 * root-owned base); `plugins`: more config sections.
 */
export function sshSetup(
  access: Record<string, unknown> = {},
  opts: { ownPam?: boolean; plugins?: Record<string, Record<string, unknown>> } = {},
): SshSetup {
  // AllowUsers vpt* in the bed's sshd: panel accounts are named like its users.
  const s = { prefix: `vpt${randomBytes(2).toString('hex')}` } as SshSetup;
  let stopSshd = async () => undefined as void;
  let homes = '';
  s.api = (method, p, body) => s.h.panel.request(method, p, body === undefined ? {} : { body });
  s.login = () => ({ username: s.a.username, privateKey: s.k1.privateKey });
  beforeAll(async () => {
    const started = await startSshd({ ownPam: opts.ownPam });
    s.sshd = started.info;
    stopSshd = started.stop;
    s.keys = mkdtempSync('/tmp/velopanel-access-keys-');
    s.k1 = keypair(s.keys, 'one');
    s.k2 = keypair(s.keys, 'two');
    homes = `/srv/velopanel-access-${randomBytes(4).toString('hex')}`;
    mkdirSync(homes, { mode: 0o755 });
    s.h = await startHostingPanel({
      engine: 'nginx',
      mode: 'linux',
      extra: ['access'],
      homeBase: homes,
      plugins: {
        ...opts.plugins,
        access: {
          sshd_config: s.sshd.configPath,
          match_file: s.sshd.matchFile,
          sshd_pid_file: s.sshd.pidFile,
          ...(s.sshd.pamFile
            ? {
                pam_file: s.sshd.pamFile,
                session_helper: path.join(homes, '.velopanel', 'ssh-session-cgroup'),
                session_cgroups: true,
              }
            : {}),
          ...access,
        },
      },
    });
    const res = await s.api(
      'POST',
      '/api/accounts',
      accountBody({ username: `${s.prefix}a`, domain: `${s.prefix}a.test` }),
    );
    expect(res.status).toBe(200);
    s.a = { ...res.body.data, uid: Number(passwdField(res.body.data.username, 2)) };
  });
  afterAll(async () => {
    if (s.a) await s.api('DELETE', `/api/accounts/${s.a.id}`);
    await s.h?.stop();
    await stopSshd();
    removeLeftoverUsers(s.prefix);
    if (homes) rmSync(homes, { recursive: true, force: true });
    if (s.keys) rmSync(s.keys, { recursive: true, force: true });
  });
  return s;
}
