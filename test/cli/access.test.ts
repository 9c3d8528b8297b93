// `velopanel ssh-keys|shell|cron …` against a linux-mode panel (real users and crontab).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRoot } from '../bed/index.js';
import { removeLeftoverUsers } from '../accounts/linux-users.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { buildOnce, tempHome, velopanel } from './cli.js';

const root = requireRoot();
const prefix = `vpk${randomBytes(2).toString('hex')}`;

describe.skipIf(root.skip)('velopanel ssh-keys, shell and cron', () => {
  let h: HostingPanel;
  let name: string;
  const home = tempHome();
  const cli = (args: string[], input?: string) =>
    velopanel(['--url', h.panel.url, '--token', h.panel.tokens.admin, ...args], { home, input });
  beforeAll(async () => {
    buildOnce();
    // Shells need an sshd configuration that includes the panel's Match file (no sshd runs here).
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(home, 'host')]);
    const match = path.join(home, 'velopanel.conf');
    writeFileSync(path.join(home, 'sshd_config'), `HostKey ${path.join(home, 'host')}\nInclude ${match}\n`);
    const access = {
      sshd_config: path.join(home, 'sshd_config'),
      match_file: match,
      sshd_pid_file: path.join(home, 'none.pid'),
    };
    h = await startHostingPanel({ engine: 'veloserve', mode: 'linux', extra: ['access'], plugins: { access } });
    name = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: `${prefix}a`, domain: `${prefix}a.test` }),
      })
    ).body.data.username;
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'cli@test', '-f', path.join(home, 'k')]);
  }, 300_000);
  afterAll(async () => {
    await h?.stop();
    removeLeftoverUsers(prefix);
  });

  it('adds, lists and removes a key by account name', async () => {
    const add = await cli(['ssh-keys', 'add', name, path.join(home, 'k.pub')]);
    expect(add).toMatchObject({ code: 0, stderr: '' });
    expect(add.stdout).toMatch(/^Added key (\d+) \(ssh-ed25519, SHA256:[A-Za-z0-9+/]+\)\.\n$/);
    const list = await cli(['ssh-keys', 'list', name]);
    expect(list.stdout).toMatch(
      /^ID\s+TYPE\s+BITS\s+FINGERPRINT\s+COMMENT\n\s*\d+\s+ssh-ed25519\s+256\s+SHA256:\S+\s+cli@test\nShell: full\n$/,
    );
    const two = `${readFileSync(path.join(home, 'k.pub'), 'utf8')}${readFileSync(path.join(home, 'k.pub'), 'utf8')}`;
    const refused = await cli(['ssh-keys', 'add', name, '-'], two);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/single line/);
    const id = /Added key (\d+)/.exec(add.stdout)![1]!;
    expect((await cli(['ssh-keys', 'remove', name, id])).stderr).toMatch(/without --yes/);
    expect(await cli(['ssh-keys', 'remove', name, id, '--yes'])).toMatchObject({
      code: 0,
      stdout: `Removed key ${id}.\n`,
    });
  });

  it('adds, changes and removes cron jobs, showing the schedule in words', async () => {
    const add = await cli(['cron', 'add', name, '--schedule', '*/10 * * * *', '--command', 'echo hi']);
    expect(add).toMatchObject({ code: 0, stderr: '' });
    expect(add.stdout).toMatch(/^Cron job (\d+): \*\/10 \* \* \* \* \(every 10 minutes\)\.\n$/);
    const id = /Cron job (\d+)/.exec(add.stdout)![1]!;
    expect((await cli(['cron', 'set', name, id, '--disable'])).stdout).toBe(
      `Cron job ${id}: */10 * * * * (every 10 minutes), disabled.\n`,
    );
    const list = await cli(['cron', 'list', name]);
    expect(list.stdout).toMatch(
      /\n\s*\d+\s+no\s+\*\/10 \* \* \* \*\s+every 10 minutes\s+echo hi\s+-\n1 of 5 jobs the plan allows\.\n$/,
    );
    const bad = await cli(['cron', 'add', name, '--schedule', '@daily', '--command', 'true\nFOO=1']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/command: must be one line/);
    expect(await cli(['cron', 'set', name, id, '--enable'])).toMatchObject({ code: 0 });
    expect(spawnSync('crontab', ['-l', '-u', name]).stdout.toString()).toContain('*/10 * * * * echo hi\n');
    expect(await cli(['cron', 'remove', name, id, '--yes'])).toMatchObject({
      code: 0,
      stdout: `Removed cron job ${id}.\n`,
    });
  });

  it("sets the shell (and back to the plan's)", async () => {
    const set = await cli(['shell', 'set', name, 'nologin']);
    expect(set).toMatchObject({ code: 0, stdout: `Shell of ${name}: nologin (set by an admin).\n` });
    expect(readFileSync('/etc/passwd', 'utf8')).toMatch(new RegExp(`^${name}:.*:/usr/sbin/nologin$`, 'm'));
    expect((await cli(['shell', 'set', name, 'plan'])).stdout).toBe(`Shell of ${name}: full (the plan's).\n`);
  });
});
