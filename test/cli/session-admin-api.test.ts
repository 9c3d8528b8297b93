// Logging in once and reusing the stored token (0600), the licence, plugins and regenerate
// commands against a running panel.
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLicence } from '../../core/licence/sign.js';
import { definePlugin } from '../../sdk/index.js';
import { TEST_LOGINS } from '../../sdk/testing/index.js';
import { startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { clearOfStepEdge, enrol, newReseller, totpAt } from '../auth/totp-helpers.js';
import { buildOnce, tempHome, velopanel } from './cli.js';

const business = definePlugin({
  manifest: { id: 'biz-extra', version: '1.2.0', sdk: '^1.0.0', tier: 'business' },
  start() {},
});
const toggled = definePlugin({ manifest: { id: 'toggle-me', version: '0.3.0', sdk: '^1.0.0' }, start() {} });

describe('velopanel login, license, plugins, regenerate', () => {
  let h: HostingPanel;
  const home = tempHome();
  const admin = (args: string[], input?: string) =>
    velopanel(['--url', h.panel.url, '--token', h.panel.tokens.admin, ...args], { home, input });
  beforeAll(async () => {
    buildOnce();
    h = await startHostingPanel({ engine: 'veloserve', tier: 'none', inline: [business, toggled] });
  }, 300_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('logs in once, stores the token 0600 and uses it (and the URL) for later commands', async () => {
    const login = await velopanel(
      ['--url', h.panel.url, 'login', '--username', TEST_LOGINS.admin, '--password-stdin'],
      { home, input: `${TEST_LOGINS.password}\n` },
    );
    expect(login.code).toBe(0);
    const file = path.join(home, '.config', 'velopanel', 'credentials.json');
    expect(login.stdout).toBe(
      `Logged in to ${h.panel.url} as ${TEST_LOGINS.admin} (admin); token stored in ${file} until ${/until (\S+)\.\n$/.exec(login.stdout)![1]}.\n`,
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const me = await velopanel(['whoami', '--json'], { home });
    expect(me.code).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({ username: TEST_LOGINS.admin, role: 'admin' });
    const out = await velopanel(['logout'], { home });
    expect(out).toMatchObject({ code: 0, stdout: `Logged out of ${h.panel.url}.\n` });
    expect((await velopanel(['whoami'], { home })).code).toBe(3);
  });

  it('refuses a wrong password with exit 3 and stores nothing', async () => {
    const other = tempHome();
    const bad = await velopanel(['--url', h.panel.url, 'login', '--username', TEST_LOGINS.admin, '--password-stdin'], {
      home: other,
      input: 'wrong-password\n',
    });
    expect({ code: bad.code, stderr: bad.stderr }).toEqual({
      code: 3,
      stderr: 'velopanel: Invalid username or password\n',
    });
    expect(() => statSync(path.join(other, '.config', 'velopanel', 'credentials.json'))).toThrow();
  });

  it('logs in with --code when the login has two-factor login on', async () => {
    const { token } = await newReseller(h.panel, 'cli-totp');
    const { secret } = await enrol(h.panel, token);
    const other = tempHome();
    const args = ['--url', h.panel.url, 'login', '--username', 'cli-totp', '--password-stdin'];
    const missing = await velopanel(args, { home: other, input: `${TEST_LOGINS.password}\n` });
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({
      code: 3,
      stderr: 'velopanel: this login has two-factor login on: give the code with --code\n',
    });
    const step = await clearOfStepEdge();
    const ok = await velopanel([...args, '--code', totpAt(secret, step)], {
      home: other,
      input: `${TEST_LOGINS.password}\n`,
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Logged in to .* as cli-totp \(reseller\)/);
  });

  it('shows the licence with usage against limits, and installs a new one', async () => {
    const show = await admin(['license', 'show']);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^tier: +community\nstate: +none\n/);
    expect(show.stdout).toMatch(/\naccounts: +0 \/ 5\n/);
    expect(show.stdout).toMatch(/\ndomains: +0 \/ 10\n/);
    const file = path.join(home, 'pro.licence');
    writeFileSync(file, await signLicence({ tier: 'pro', customer: 'CLI Hosting Ltd' }));
    const installed = await admin(['license', 'install', file]);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toMatch(/^Licence installed: pro \(valid\)\.\n/);
    expect(installed.stdout).toMatch(/\ncustomer: +CLI Hosting Ltd\n/);
    expect(installed.stdout).toMatch(/\naccounts: +0 \/ 50\n/);
    const garbage = await admin(['license', 'install', '-'], 'not a licence');
    expect({ code: garbage.code, stderr: garbage.stderr }).toEqual({
      code: 1,
      stderr: 'velopanel: license_key: licence is not a signed licence (compact JWS expected)\n',
    });
    expect(
      (
        await velopanel(['--url', h.panel.url, '--token', h.panel.tokens.reseller, 'license', 'install', file], {
          home,
        })
      ).code,
    ).toBe(3);
    expect((await admin(['license', 'install', path.join(home, 'missing')])).code).toBe(2);
  });

  it('lists, disables and enables plugins; the licence decides what can be enabled', async () => {
    const list = await admin(['plugins', 'list']);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+VERSION\s+SOURCE\s+TIER\s+STATE\s+REASON$/);
    expect(list.stdout).toMatch(/\nbiz-extra\s+1\.2\.0\s+inline\s+business\s+locked\s+requires a Business license\n/);
    expect(list.stdout).toMatch(/\naccounts\s+1\.0\.0\s+first-party\s+community\s+active\s+-\n/);
    expect((await admin(['plugins', 'disable', 'toggle-me'])).stdout).toBe(
      'Plugin toggle-me is disabled (disabled by an administrator).\n',
    );
    expect((await admin(['plugins', 'enable', 'toggle-me'])).stdout).toBe('Plugin toggle-me is active.\n');
    const locked = await admin(['plugins', 'enable', 'biz-extra']);
    expect({ code: locked.code, stderr: locked.stderr }).toEqual({
      code: 6,
      stderr: "velopanel: Plugin 'biz-extra' requires a Business license\n",
    });
    expect((await admin(['plugins', 'enable', 'no-such-plugin'])).code).toBe(4);
    expect(
      (
        await velopanel(['--url', h.panel.url, '--token', h.panel.tokens.user, 'plugins', 'disable', 'toggle-me'], {
          home,
        })
      ).code,
    ).toBe(3);
  });

  it('regenerates the web-server configs', async () => {
    const run = await admin(['regenerate']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Regenerated\.\n/);
    expect(JSON.parse((await admin(['--json', 'regenerate'])).stdout)).toEqual(
      (await h.panel.request('POST', '/api/veloserve/regenerate')).body.data,
    );
  });
});
