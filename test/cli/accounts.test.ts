// `velopanel accounts …` against a running panel (real accounts, domains and the VeloServe engine),
// as a child process with --url and --token: tables, --json, and exit codes that mean something.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { buildOnce, tempHome, velopanel } from './cli.js';

describe('velopanel accounts', () => {
  let h: HostingPanel;
  const home = tempHome();
  const as = (role: 'admin' | 'reseller' | 'user', args: string[], input?: string) =>
    velopanel(['--url', h.panel.url, '--token', h.panel.tokens[role], ...args], { home, input });
  const create = (username: string, domain = `${username}.test`, role: 'admin' | 'reseller' | 'user' = 'admin') =>
    as(
      role,
      [
        'accounts',
        'create',
        '--username',
        username,
        '--domain',
        domain,
        '--email',
        `${username}@example.com`,
        '--password-stdin',
      ],
      'Account-Pass-123\n',
    );
  beforeAll(async () => {
    buildOnce();
    h = await startHostingPanel({ engine: 'veloserve', tier: 'none', config: { max_accounts_free: 3 } });
  }, 300_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('creates an account with the password from standard input', async () => {
    const run = await create('clialice');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^Created account \d+ 'clialice' \(clialice\.test, plan free\)\.\n$/);
    const listed = (await h.panel.request('GET', '/api/accounts')).body.data;
    expect(listed.map((a: any) => a.username)).toContain('clialice');
  });

  it('lists accounts as a table, and as JSON for scripts', async () => {
    const table = await as('admin', ['accounts', 'list']);
    expect(table.code).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+USERNAME\s+DOMAIN\s+PLAN\s+STATUS\s+DISK\s+BANDWIDTH\s+CREATED$/);
    // No bandwidth plugin here: not measured is '-', never a 0.
    expect(
      rows.some((r) =>
        /^\s*\d+\s+clialice\s+clialice\.test\s+free\s+active\s+0\/500 MB\s+-\/10000 MB\s+\d{4}-/.test(r),
      ),
    ).toBe(true);
    const json = await as('admin', ['accounts', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ username: 'clialice', status: 'active' })]),
    );
  });

  it('suspends and unsuspends by username or id', async () => {
    const suspended = await as('admin', ['accounts', 'suspend', 'clialice']);
    expect(suspended).toMatchObject({ code: 0 });
    expect(suspended.stdout).toMatch(/^Account \d+ 'clialice' is suspended\.\n$/);
    const id = /Account (\d+)/.exec(suspended.stdout)![1]!;
    expect((await as('admin', ['--json', 'accounts', 'unsuspend', id])).stdout).toContain('"status": "active"');
  });

  it('changes a password read from standard input, never from an argument', async () => {
    const run = await as('admin', ['accounts', 'password', 'clialice', '--password-stdin'], 'Cli-New-Pass-1\n');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      /^Password of account \d+ 'clialice' changed; its sessions have ended and 0 API tokens were deleted\.\n$/,
    );
    const login = (password: string) =>
      h.panel
        .request('POST', '/api/auth/login', { body: { username: 'clialice', password }, as: 'anon' })
        .then((r) => r.status);
    expect(await login('Cli-New-Pass-1')).toBe(200);
    expect(await login('Account-Pass-123')).toBe(401);
    const short = await as('admin', ['accounts', 'password', 'clialice', '--password-stdin'], 'short\n');
    expect({ code: short.code, stderr: short.stderr }).toEqual({
      code: 1,
      stderr: 'velopanel: password: must be 8–128 characters without control characters\n',
    });
    const none = await as('admin', ['accounts', 'password', 'clialice']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no password given: pipe it in with --password-stdin/);
    expect((await as('admin', ['accounts', 'password', 'clialice', '--password', 'Argv-Pass-123'])).code).toBe(2);
    expect(
      (await as('admin', ['accounts', 'password', 'nosuchname', '--password-stdin'], 'Cli-New-Pass-2\n')).code,
    ).toBe(4);
    expect(await login('Cli-New-Pass-1')).toBe(200);
    // Its own login gives the current password first (issue 16).
    const session = (
      await h.panel.request('POST', '/api/auth/login', {
        body: { username: 'clialice', password: 'Cli-New-Pass-1' },
        as: 'anon',
      })
    ).body.data.token;
    const self = (input: string) =>
      velopanel(['--url', h.panel.url, '--token', session, 'accounts', 'password', 'clialice', '--password-stdin'], {
        home,
        input,
      });
    const oneLine = await self('Cli-Own-Pass-3\n');
    expect(oneLine.code).toBe(2);
    expect(oneLine.stderr).toMatch(/standard input must hold the current password and the new one, one a line/);
    expect((await self('Not-The-Pass-9\nCli-Own-Pass-3\n')).stderr).toBe('velopanel: current_password: is incorrect\n');
    expect((await self('Cli-New-Pass-1\nCli-Own-Pass-3\n')).code).toBe(0);
    expect(await login('Cli-Own-Pass-3')).toBe(200);
  });

  it('answers exit codes: 3 auth, 4 not found, 5 conflict, 1 refused values, 6 licence limit', async () => {
    const anon = await velopanel(['--url', h.panel.url, 'accounts', 'list'], { home });
    expect(anon.code).toBe(3);
    expect(anon.stderr).toBe(
      'velopanel: Authentication required (log in with `velopanel login`, or give --token / VELOPANEL_TOKEN)\n',
    );
    expect((await create('cliuser', 'cliuser.test', 'user')).code).toBe(3);
    const missing = await as('admin', ['accounts', 'suspend', '999999']);
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({ code: 4, stderr: 'velopanel: Not found\n' });
    expect((await as('admin', ['accounts', 'suspend', 'nosuchname'])).code).toBe(4);
    const dup = await create('clialice', 'other-alice.test');
    expect({ code: dup.code, stderr: dup.stderr }).toEqual({
      code: 5,
      stderr: "velopanel: Account 'clialice' already exists\n",
    });
    const bad = await create('clibob', 'not a domain');
    expect({ code: bad.code, stderr: bad.stderr }).toEqual({
      code: 1,
      stderr: 'velopanel: domain: must be a fully qualified domain name\n',
    });
    expect((await create('clibob')).code).toBe(0);
    expect((await create('clicarol')).code).toBe(0);
    const over = await create('clidave');
    expect({ code: over.code, stderr: over.stderr }).toEqual({
      code: 6,
      stderr: 'velopanel: Account limit reached (3/3). Upgrade your license for more.\n',
    });
  });

  it('reports errors as JSON on stderr with --json, stdout left empty', async () => {
    const run = await as('admin', ['--json', 'accounts', 'suspend', '999999']);
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr)).toEqual({ ok: false, error: 'Not found', code: 'NOT_FOUND', exit_code: 4 });
  });

  it('deletes only with --yes when not on a terminal', async () => {
    const refused = await as('admin', ['accounts', 'delete', 'clicarol']);
    expect({ code: refused.code, stderr: refused.stderr }).toEqual({
      code: 2,
      stderr: 'velopanel: refusing to delete account clicarol without --yes\n',
    });
    expect((await h.panel.request('GET', '/api/accounts')).body.data.map((a: any) => a.username)).toContain('clicarol');
    const done = await as('admin', ['accounts', 'delete', 'clicarol', '--yes']);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^Deleted account \d+ 'clicarol'\.\n$/);
    expect((await h.panel.request('GET', '/api/accounts')).body.data.map((a: any) => a.username)).not.toContain(
      'clicarol',
    );
  });

  it('refuses a password on the command line and a missing one', async () => {
    const noPassword = await as('admin', [
      'accounts',
      'create',
      '--username',
      'clieve',
      '--domain',
      'clieve.test',
      '--email',
      'e@example.com',
    ]);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toMatch(/no password given: pipe it in with --password-stdin/);
    expect((await as('admin', ['accounts', 'create', '--password', 'x'])).code).toBe(2);
  });
});

// A delete that fails past its point of no return (test-mode `fail_delete_at`) leaves the account
// 'deleting': the list says so and how to finish it, and a repeated delete does.
describe('velopanel accounts: an account left deleting', () => {
  let h: HostingPanel;
  const home = tempHome();
  const admin = (args: string[]) =>
    velopanel(['--url', h.panel.url, '--token', h.panel.tokens.admin, ...args], { home });
  beforeAll(async () => {
    buildOnce();
    h = await startHostingPanel({ engine: 'veloserve', plugins: { accounts: { fail_delete_at: 'home' } } });
  }, 300_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('lists it as deleting with the command that finishes it; suspend is refused; delete again finishes', async () => {
    const id = (await h.panel.request('POST', '/api/accounts', { body: accountBody({ username: 'clihalf' }) })).body
      .data.id;
    const failed = await admin(['accounts', 'delete', 'clihalf', '--yes']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("The account is marked 'deleting'");
    const list = await admin(['accounts', 'list']);
    expect(list.code).toBe(0);
    expect(
      list.stdout.split('\n').some((r) => new RegExp(`^\\s*${id}\\s+clihalf\\s+\\S+\\s+free\\s+deleting\\s`).test(r)),
    ).toBe(true);
    expect(list.stderr).toBe(
      `Account ${id} 'clihalf' is deleting: its delete failed part-way; finish it with \`velopanel accounts delete ${id} --yes\`.\n`,
    );
    expect(JSON.parse((await admin(['--json', 'accounts', 'list'])).stdout)).toEqual([
      expect.objectContaining({ id, status: 'deleting' }),
    ]);
    expect((await admin(['--json', 'accounts', 'list'])).stderr).toBe('');
    expect((await admin(['accounts', 'suspend', String(id)])).code).toBe(5);
    const finished = await admin(['accounts', 'delete', String(id), '--yes']);
    expect({ code: finished.code, stdout: finished.stdout }).toEqual({
      code: 0,
      stdout: `Deleted account ${id} 'clihalf'.\n`,
    });
    expect((await admin(['accounts', 'list'])).stdout).toBe('(none)\n');
  });
});
