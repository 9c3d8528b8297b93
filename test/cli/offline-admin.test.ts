// `velopanel admin create|reset-password|reset-2fa` work offline on the panel's own store (same config and
// environment variables, same password hashing): what they write, the panel accepts at login.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBarePanel, type BarePanel } from '../auth/helpers.js';
import { clearOfStepEdge, totpAt } from '../auth/totp-helpers.js';
import { buildOnce, tempHome, velopanel } from './cli.js';

const home = tempHome();
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'vp-cli-offline-'));
const login = (p: BarePanel, username: string, password: string) =>
  p.call('POST', '/api/auth/login', { body: { username, password } });

describe('velopanel admin (offline)', () => {
  const dataDir = tmp();
  const config = path.join(dataDir, 'velopanel.toml');
  const env = { VELOPANEL_CONFIG: config };
  let panel: BarePanel;
  beforeAll(async () => {
    buildOnce();
    writeFileSync(config, `data_dir = "${dataDir}"\nlog_level = "silent"\n`);
  }, 300_000);
  afterAll(async () => {
    await panel?.stop();
  });

  it("creates the first admin before the panel ever ran, with the panel's own hashing", async () => {
    const run = await velopanel(['admin', 'create', 'ops', '--password-stdin'], {
      home,
      env,
      input: 'Offline-Pass-1\n',
    });
    expect(run).toEqual({ code: 0, stdout: `Created admin 'ops' (id 1) in SQLite in ${dataDir}.\n`, stderr: '' });
    panel = await startBarePanel({ dataDir });
    expect((await panel.call('GET', '/api/auth/setup')).body.data).toEqual({ required: false, code_required: false });
    const res = await login(panel, 'ops', 'Offline-Pass-1');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ username: 'ops', role: 'admin' });
    const row = await panel.kernel.knex('core_users').where({ username: 'ops' }).first();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('resets an admin password while the panel runs: the old one stops working at once', async () => {
    // The login is found in any letter case, as a login finds it; the answer names it as stored.
    const run = await velopanel(['admin', 'reset-password', 'OPS', '--password-stdin'], {
      home,
      env,
      input: 'Brand-New-Pass-2\n',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `New password set for admin 'ops' in SQLite in ${dataDir}; its sessions have ended and 0 API tokens were deleted.\n`,
    );
    expect((await login(panel, 'ops', 'Offline-Pass-1')).status).toBe(401);
    expect((await login(panel, 'ops', 'Brand-New-Pass-2')).status).toBe(200);
  });

  it('answers with exit codes: 5 taken, 1 refused password, 4 unknown login, 1 not an admin, 2 no password', async () => {
    const dup = await velopanel(['admin', 'create', 'OPS', '--password-stdin'], {
      home,
      env,
      input: 'Whatever-Pass-3\n',
    });
    expect({ code: dup.code, stderr: dup.stderr }).toEqual({
      code: 5,
      stderr: "velopanel: Username 'OPS' is already taken\n",
    });
    const short = await velopanel(['admin', 'create', 'ops2', '--password-stdin'], { home, env, input: 'short\n' });
    expect({ code: short.code, stderr: short.stderr }).toEqual({
      code: 1,
      stderr: 'velopanel: password: must be at least 8 characters\n',
    });
    const unknown = await velopanel(['admin', 'reset-password', 'ghost', '--password-stdin'], {
      home,
      env,
      input: 'Whatever-Pass-3\n',
    });
    expect({ code: unknown.code, stderr: unknown.stderr }).toEqual({
      code: 4,
      stderr: `velopanel: no login named 'ghost' in SQLite in ${dataDir}\n`,
    });
    const token = (await login(panel, 'ops', 'Brand-New-Pass-2')).body.data.token;
    expect(
      (await panel.call('POST', '/api/resellers', { token, body: { username: 'resale', password: 'Reseller-Pass-4' } }))
        .status,
    ).toBe(200);
    const reseller = await velopanel(['admin', 'reset-password', 'resale', '--password-stdin'], {
      home,
      env,
      input: 'Whatever-Pass-3\n',
    });
    expect({ code: reseller.code, stderr: reseller.stderr }).toEqual({
      code: 1,
      stderr: "velopanel: 'resale' is a reseller login, not an admin; change it through the panel\n",
    });
    const none = await velopanel(['admin', 'create', 'ops3'], { home, env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no password given: pipe it in with --password-stdin');
    expect((await panel.kernel.knex('core_users').where({ username: 'ops3' })).length).toBe(0);
  });

  it('prints JSON with --json', async () => {
    const run = await velopanel(['admin', 'create', 'ops4', '--password-stdin', '--json'], {
      home,
      env,
      input: 'Json-Pass-5555\n',
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      id: expect.any(Number),
      username: 'ops4',
      role: 'admin',
      store: `SQLite in ${dataDir}`,
    });
  });

  it('turns off the two-factor login of a login that lost its device, audited', async () => {
    const token = (await login(panel, 'ops4', 'Json-Pass-5555')).body.data.token;
    const setup = await panel.call('POST', '/api/auth/2fa/setup', { token, body: { password: 'Json-Pass-5555' } });
    const step = await clearOfStepEdge();
    expect(
      (
        await panel.call('POST', '/api/auth/2fa/confirm', {
          token,
          body: { code: totpAt(setup.body.data.secret, step) },
        })
      ).status,
    ).toBe(200);
    expect((await login(panel, 'ops4', 'Json-Pass-5555')).body.code).toBe('TOTP_REQUIRED');
    const run = await velopanel(['admin', 'reset-2fa', 'ops4'], { home, env });
    expect(run).toEqual({
      code: 0,
      stdout: `Two-factor login of 'ops4' turned off in SQLite in ${dataDir}; it logs in with its password alone until it enrols again.\n`,
      stderr: '',
    });
    expect((await login(panel, 'ops4', 'Json-Pass-5555')).status).toBe(200);
    const again = await velopanel(['admin', 'reset-2fa', 'ops4'], { home, env });
    expect(again.stdout).toBe(`'ops4' had no two-factor login in SQLite in ${dataDir}; nothing changed.\n`);
    expect((await velopanel(['admin', 'reset-2fa', 'ghost'], { home, env })).code).toBe(4);
    const audit = await panel.kernel.knex('core_audit').where({ route: 'velopanel admin reset-2fa' }).orderBy('id');
    expect(audit.map((a: any) => a.target)).toEqual([
      expect.stringMatching(/^user:\d+$/),
      expect.stringMatching(/^user:\d+$/),
    ]);
  });
});

describe('velopanel admin honours VELOPANEL_DATA_DIR and VELOPANEL_DATABASE_URL', () => {
  const createdIn = async (env: Record<string, string>, username: string) => {
    const run = await velopanel(['admin', 'create', username, '--password-stdin'], {
      home,
      env: { VELOPANEL_CONFIG: '', ...env },
      input: 'Env-Admin-Pass-6\n',
    });
    expect(run.code).toBe(0);
    return run.stdout;
  };
  const canLogIn = async (opts: Parameters<typeof startBarePanel>[0], username: string) => {
    const p = await startBarePanel(opts);
    try {
      return (await login(p, username, 'Env-Admin-Pass-6')).status;
    } finally {
      await p.stop();
    }
  };

  it('writes to the data directory VELOPANEL_DATA_DIR names', async () => {
    const dataDir = tmp();
    expect(await createdIn({ VELOPANEL_DATA_DIR: dataDir }, 'diradmin')).toBe(
      `Created admin 'diradmin' (id 1) in SQLite in ${dataDir}.\n`,
    );
    expect(await canLogIn({ dataDir }, 'diradmin')).toBe(200);
  });

  it('writes to the store VELOPANEL_DATABASE_URL names, not the data directory', async () => {
    const dataDir = tmp();
    const dbFile = path.join(tmp(), 'elsewhere.sqlite');
    expect(
      await createdIn({ VELOPANEL_DATA_DIR: dataDir, VELOPANEL_DATABASE_URL: `sqlite:${dbFile}` }, 'urladmin'),
    ).toBe(`Created admin 'urladmin' (id 1) in SQLite ${dbFile}.\n`);
    expect(await canLogIn({ dataDir: tmp(), config: { database_url: `sqlite:${dbFile}` } }, 'urladmin')).toBe(200);
    expect(await canLogIn({ dataDir }, 'urladmin')).toBe(401);
  });

  it('stops on a bad config with one line naming the key and exit 2', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'bad.toml'), 'bind_port = 99999\n');
    const run = await velopanel(['admin', 'create', 'x-admin', '--password-stdin'], {
      home,
      env: { VELOPANEL_CONFIG: path.join(dir, 'bad.toml') },
      input: 'Whatever-Pass-3\n',
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: 2,
      stderr: 'velopanel: config: bind_port: must be a port number 0–65535\n',
    });
  });
});
