// `velopanel accounts import FILE.csv` against a running panel: the CSV becomes one import job
// followed with progress lines, a row without a password gets a generated one (written to
// --passwords-out, mode 0600, and it logs in), a bad row refuses the file naming the row, and the
// licence's account limit holds for the whole batch (nothing made).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { buildOnce, tempHome, velopanel } from './cli.js';

describe('velopanel accounts import', () => {
  let h: HostingPanel;
  const home = tempHome();
  const csv = (name: string, text: string) => {
    const file = path.join(home, name);
    writeFileSync(file, text);
    return file;
  };
  const run = (args: string[]) =>
    velopanel(['--url', h.panel.url, '--token', h.panel.tokens.admin, 'accounts', 'import', ...args], { home });
  const usernames = async () =>
    (await h.panel.request('GET', '/api/accounts')).body.data.map((a: any) => a.username).sort();
  beforeAll(async () => {
    buildOnce();
    h = await startHostingPanel({ engine: 'veloserve', tier: 'none', config: { max_accounts_free: 4 } });
  }, 300_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('imports a CSV as a job with progress, generating a missing password', async () => {
    const file = csv(
      'three.csv',
      'Username,Domain,Email,Password,Plan\r\n' +
        'csvone,csvone.test,one@example.com,"Pass, with comma 1",pro\r\n' +
        'csvtwo,csvtwo.test,two@example.com,,\r\n' +
        '\r\n' +
        'csvthree,csvthree.test,three@example.com,Third-Pass-3,business\r\n',
    );
    const out = path.join(home, 'generated.csv');
    const done = await run([file, '--passwords-out', out]);
    expect(done.code).toBe(0);
    const progress = done.stderr.trimEnd().split('\n');
    expect(progress.every((l) => /^import: +\d+% (queued|running|succeeded)/.test(l))).toBe(true);
    expect(progress.at(-1)).toBe('import: 100% succeeded  created 3 of 3 accounts');
    expect(done.stdout).toBe(`import: created 3 of 3 accounts.\nGenerated passwords of 1 rows written to ${out}.\n`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const [header, line] = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(header).toBe('row,username,password');
    const password = line!.split(',')[2]!;
    expect(line).toMatch(/^2,csvtwo,[A-Za-z0-9_-]{24}$/);
    const login = (username: string, pass: string) =>
      h.panel
        .request('POST', '/api/auth/login', { body: { username, password: pass }, as: 'anon' })
        .then((r) => r.status);
    expect(await login('csvtwo', password)).toBe(200);
    expect(await login('csvone', 'Pass, with comma 1')).toBe(200);
    const plans = (await h.panel.request('GET', '/api/accounts')).body.data
      .map((a: any) => `${a.username}:${a.plan}`)
      .sort();
    expect(plans).toEqual(['csvone:pro', 'csvthree:business', 'csvtwo:free']);
  });

  it('refuses a file with a bad row, naming it, and one over the licence limit; nothing is made', async () => {
    const bad = await run([
      csv(
        'bad.csv',
        'username,domain,email\ncsvfour,csvfour.test,four@example.com\ncsvfive,csvone.test,five@example.com\n',
      ),
    ]);
    expect({ code: bad.code, stdout: bad.stdout }).toEqual({ code: 1, stdout: '' });
    expect(bad.stderr).toBe(
      'velopanel: Import refused, nothing was created: 1 of 2 rows have problems: row 2: Domain csvone.test already exists on this server\n',
    );
    const over = await run([
      csv(
        'over.csv',
        'username,domain,email\ncsvfour,csvfour.test,four@example.com\ncsvfive,csvfive.test,five@example.com\n',
      ),
    ]);
    expect({ code: over.code, stderr: over.stderr }).toEqual({
      code: 6,
      stderr: 'velopanel: Account limit reached: 3 + 2 imported would pass 4. Upgrade your license for more.\n',
    });
    const unknown = await run([csv('cols.csv', 'username,domain,email,shell\n')]);
    expect({ code: unknown.code, stderr: unknown.stderr }).toEqual({
      code: 2,
      stderr: "velopanel: header: unknown column 'shell' (columns: username, domain, email, password, plan)\n",
    });
    expect(await usernames()).toEqual(['csvone', 'csvthree', 'csvtwo']);
  });
});
