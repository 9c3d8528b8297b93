// Hostile inputs (classes 2, 3, 5, 6, 9, 11, 18, 19 of hostile-inputs.md) against the accounts and
// domains endpoints: each is refused with a 4xx naming the problem, and nothing changes — no row,
// no directory, no vhost byte — and no payload ever reaches a config file.
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

const MARK = 'PWN';
const SHELL = [`; id #${MARK}`, `$(id)${MARK}`, `\`id\`${MARK}`, `|${MARK}`, `&&${MARK}`, `>${MARK}`];
const CONFIG_BREAKERS = [
  `a.test\nserver{${MARK}`,
  `a.test\r\n${MARK}`,
  `a.test%0a${MARK}`,
  `a.test;${MARK}`,
  `a.test{${MARK}`,
  `a.test}${MARK}`,
  `"a.test${MARK}"`,
  `'a.test${MARK}'`,
];
const DASHES = ['--checkpoint-action=exec=id', '-oProxyCommand=id', '--use-compress-program=id', '-e'];
const TYPES: unknown[] = [null, 42, 1e308, -1, true, ['a'], { a: 1 }, '', 'x'.repeat(100_000)];

describe('hostile inputs to accounts and domains', () => {
  let h: HostingPanel;
  let owner: any;
  let other: any;
  beforeAll(async () => {
    h = await startHostingPanel({ engine: 'nginx' });
    owner = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'victim', domain: 'victim.test' }),
      })
    ).body.data;
    other = (
      await h.panel.request('POST', '/api/accounts', {
        body: accountBody({ username: 'neighbour', domain: 'neighbour.test' }),
      })
    ).body.data;
  });
  afterAll(async () => {
    await h?.stop();
  });

  const snapshot = async () => {
    const sites = readdirSync(h.nginx!.sitesDir).sort();
    return {
      accounts: (await h.panel.request('GET', '/api/accounts')).body.data.map((a: any) => a.username),
      domains: (await h.panel.request('GET', '/api/domains')).body.data.map((d: any) => d.domain_name),
      homes: readdirSync(h.homeBase).sort(),
      home: readdirSync(owner.home_dir).sort(),
      sites: sites.map((f) => [f, readFileSync(path.join(h.nginx!.sitesDir, f), 'utf8')]),
    };
  };
  const refused = async (method: string, url: string, bodies: unknown[], status = 400) => {
    const before = await snapshot();
    for (const body of bodies) {
      const res = await h.panel.request(method, url, { body });
      expect(res.status, String(JSON.stringify(body)).slice(0, 120)).toBe(status);
      expect(res.body.ok).toBe(false);
      expect(typeof res.body.error).toBe('string');
    }
    const after = await snapshot();
    expect(after).toEqual(before);
    for (const [, content] of after.sites) expect(content).not.toContain(MARK);
  };

  it('class 2 and 5: shell metacharacters and leading dashes in every account field', async () => {
    const bodies = [...SHELL, ...DASHES].flatMap((v) => [
      accountBody({ username: v }),
      accountBody({ domain: v }),
      accountBody({ email: v }),
      accountBody({ plan: v }),
    ]);
    await refused('POST', '/api/accounts', bodies);
  });

  it('class 3: newlines, CR/LF, ; { } and quotes never reach a vhost', async () => {
    await refused(
      'POST',
      '/api/accounts',
      CONFIG_BREAKERS.flatMap((v) => [
        accountBody({ domain: v }),
        accountBody({ username: v }),
        accountBody({ email: `a@b.test${v}` }),
      ]),
    );
    await refused(
      'POST',
      '/api/domains',
      CONFIG_BREAKERS.flatMap((v) => [
        { account_id: owner.id, domain_name: v, domain_type: 'addon' },
        {
          account_id: owner.id,
          domain_name: 'ok-name.test',
          domain_type: 'addon',
          document_root: `${owner.home_dir}/x${v}`,
        },
      ]),
    );
  });

  it('class 6 and 11: document roots outside the home, traversal, NUL, look-alikes, prefix trap, private dirs', async () => {
    const roots = [
      '../..',
      '/etc',
      `${owner.home_dir}/../neighbour`,
      `${owner.home_dir}/../../etc`,
      `${owner.home_dir}/%2e%2e/x`,
      `${owner.home_dir}/..%01/x`,
      `${owner.home_dir}/a\u0000b`,
      `${owner.home_dir}\uFF0Fx`,
      `${owner.home_dir}2/site`,
      owner.home_dir,
      `${owner.home_dir}/logs`,
      `${owner.home_dir}/tmp/site`,
      `${owner.home_dir}/.ssh`,
      other.home_dir,
      `${other.home_dir}/public_html`,
      'relative/path',
      `${owner.home_dir}/${'a'.repeat(2000)}`,
      '-e',
    ];
    await refused(
      'POST',
      '/api/domains',
      roots.map((document_root) => ({
        account_id: owner.id,
        domain_name: 'roots.test',
        domain_type: 'addon',
        document_root,
      })),
    );
  });

  it('class 7 guard: a symlink the tenant planted as document root is refused', async () => {
    symlinkSync('/etc', path.join(owner.home_dir, 'planted'));
    mkdirSync(path.join(owner.home_dir, 'real'));
    symlinkSync(other.home_dir, path.join(owner.home_dir, 'real', 'deeper'));
    await refused('POST', '/api/domains', [
      {
        account_id: owner.id,
        domain_name: 'planted.test',
        domain_type: 'addon',
        document_root: `${owner.home_dir}/planted`,
      },
      {
        account_id: owner.id,
        domain_name: 'planted.test',
        domain_type: 'addon',
        document_root: `${owner.home_dir}/planted/site`,
      },
      {
        account_id: owner.id,
        domain_name: 'planted.test',
        domain_type: 'addon',
        document_root: `${owner.home_dir}/real/deeper/x`,
      },
    ]);
  });

  it("class 9: another tenant's domain, subdomains of it and aliases with a foreign root", async () => {
    await refused(
      'POST',
      '/api/domains',
      [
        { account_id: owner.id, domain_name: 'neighbour.test', domain_type: 'addon' },
        { account_id: owner.id, domain_name: 'NEIGHBOUR.test.', domain_type: 'addon' },
        { account_id: owner.id, domain_name: 'neighbour.test', domain_type: 'alias' },
        { account_id: owner.id, domain_name: 'shop.neighbour.test', domain_type: 'addon' },
        { account_id: owner.id, domain_name: 'shop.neighbour.test', domain_type: 'alias' },
      ],
      409,
    );
    await refused('POST', '/api/domains', [
      { account_id: owner.id, domain_name: 'www.neighbour.test', domain_type: 'subdomain' },
      {
        account_id: owner.id,
        domain_name: 'mine.test',
        domain_type: 'alias',
        document_root: other.home_dir + '/public_html',
      },
    ]);
    await refused(
      'POST',
      '/api/domains',
      [{ account_id: owner.id, domain_name: 'second.test', domain_type: 'primary' }],
      409,
    );
    const primary = (await h.panel.request('GET', `/api/domains/account/${owner.id}`)).body.data.find(
      (d: any) => d.domain_type === 'primary',
    );
    await refused('DELETE', `/api/domains/${primary.id}`, [undefined], 409);
  });

  it('class 18: type confusion, huge values, oversized and invalid bodies', async () => {
    const fields = ['username', 'domain', 'email', 'password', 'plan'];
    await refused(
      'POST',
      '/api/accounts',
      fields.flatMap((f) => TYPES.map((v) => accountBody({ [f]: v }))),
    );
    await refused('POST', '/api/domains', [
      ...TYPES.filter((v) => v !== 42).map((v) => ({ account_id: v, domain_name: 'types.test', domain_type: 'addon' })),
      ...TYPES.map((v) => ({ account_id: owner.id, domain_name: v, domain_type: 'addon' })),
      ...TYPES.map((v) => ({ account_id: owner.id, domain_name: 'types.test', domain_type: v })),
      ...TYPES.filter((v) => v !== '').map((v) => ({
        account_id: owner.id,
        domain_name: 'types.test',
        domain_type: 'addon',
        document_root: v,
      })),
      { account_id: '1', domain_name: 'types.test', domain_type: 'addon' },
      { account_id: 1.5, domain_name: 'types.test', domain_type: 'addon' },
      [{ account_id: owner.id, domain_name: 'types.test', domain_type: 'addon' }],
    ]);
    for (const [raw, status] of [
      ['{"username":', 400],
      ['\xff\xfe', 400],
      [JSON.stringify(accountBody({ email: 'x'.repeat(2_000_000) })), 413],
    ] as const) {
      const res = await h.panel.request('POST', '/api/accounts', {
        raw: Buffer.from(raw, 'latin1'),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(status);
    }
    for (const id of ['0', '-1', '1.5', '99999999999', 'abc', '1%00'])
      expect((await h.panel.request('GET', `/api/accounts/${id}`)).status).toBe(400);
  });

  it('class 19: create racing delete leaves either the whole account or nothing', async () => {
    const body = accountBody({ username: 'racer', domain: 'racer.test' });
    const create = h.panel.request('POST', '/api/accounts', { body });
    const deletes = Array.from({ length: 10 }, async () => {
      const list = (await h.panel.request('GET', '/api/accounts')).body.data;
      const row = list.find((a: any) => a.username === 'racer');
      return row ? h.panel.request('DELETE', `/api/accounts/${row.id}`) : null;
    });
    const [created] = await Promise.all([create, ...deletes]);
    expect(created.status).toBe(200);
    const still = (await h.panel.request('GET', '/api/accounts')).body.data.some((a: any) => a.username === 'racer');
    expect(readdirSync(h.homeBase).includes('racer')).toBe(still);
    expect(readdirSync(h.nginx!.sitesDir).includes('racer.test.conf')).toBe(still);
  });
});
