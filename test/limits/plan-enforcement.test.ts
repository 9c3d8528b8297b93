// A plan's per-account limits enforced by the plugins that own the resources, beside the licence
// limits: max_domains (the primary counts) by the domains plugin, max_databases by the databases
// plugin with the bed's real MariaDB, php_modes by the PHP plugin. Each refusal is a 403 in the
// licence limits' words and leaves nothing behind; raising the plan's limit lets the next one in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServices } from '../bed/index.js';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

const bed = useServices('mariadb');

describe.skipIf(bed.skip)('plan limits on domains, databases and PHP modes', () => {
  let h: HostingPanel;
  let a: any;
  let planId: number;
  const req = (method: string, path: string, body?: unknown, as: 'admin' | 'reseller' = 'admin') =>
    h.panel.request(method, path, { body, as });
  const addDomain = (name: string) =>
    req('POST', '/api/domains', { account_id: a.id, domain_name: name, domain_type: 'addon' });
  const addDatabase = (name: string) =>
    req('POST', '/api/databases', { account_id: a.id, db_name: name, db_password: 'Db-pass-1234', engine: 'mysql' });

  beforeAll(async () => {
    h = await startHostingPanel({
      engine: 'veloserve',
      extra: ['databases', 'mysql', 'php'],
      plugins: { mysql: { socket: bed.mariadb.socket, user: bed.mariadb.rootUser } },
    });
    planId = (
      await req('POST', '/api/plans', {
        name: 'small',
        disk_quota_mb: 100,
        bandwidth_quota_mb: 100,
        max_domains: 2,
        max_databases: 1,
        php_modes: ['fpm'],
      })
    ).body.data.id;
    a = (await req('POST', '/api/accounts', accountBody({ plan: 'small' }))).body.data;
  });
  afterAll(async () => {
    if (a) await req('DELETE', `/api/accounts/${a.id}`);
    await h?.stop();
  });

  it('refuses a domain past max_domains with 403, the primary counted', async () => {
    expect((await addDomain(`one-${a.username}.test`)).status).toBe(200);
    const over = await addDomain(`two-${a.username}.test`);
    expect({ status: over.status, error: over.body.error }).toEqual({
      status: 403,
      error: "Plan domain limit reached (2/2). Upgrade the account's plan for more.",
    });
    const names = (await req('GET', `/api/domains/account/${a.id}`)).body.data.map((d: any) => d.domain_name);
    expect(names).not.toContain(`two-${a.username}.test`);
    expect(names).toHaveLength(2);
  });

  it('refuses a database past max_databases with 403, creating none on MariaDB', async () => {
    expect((await addDatabase('first')).status).toBe(200);
    const over = await addDatabase('second');
    expect({ status: over.status, error: over.body.error }).toEqual({
      status: 403,
      error: "Plan database limit reached (1/1). Upgrade the account's plan for more.",
    });
    expect((await req('GET', `/api/databases/${a.id}`)).body.data.map((d: any) => d.database)).toEqual([
      `${a.username}_first`,
    ]);
    const mysql = await import('mysql2/promise');
    const conn = await mysql.createConnection({ socketPath: bed.mariadb.socket, user: bed.mariadb.rootUser });
    try {
      const [rows] = await conn.query('SHOW DATABASES LIKE ?', [`${a.username}\\_second`]);
      expect(rows).toEqual([]);
    } finally {
      await conn.end();
    }
  });

  it('refuses a PHP mode the plan does not allow with 403', async () => {
    const res = await req('POST', `/api/php/version/${a.id}`, { version: '8.2', mode: 'cgi' });
    expect({ status: res.status, error: res.body.error }).toEqual({
      status: 403,
      error: 'mode: the small plan does not allow cgi (allowed: fpm)',
    });
  });

  it('lets the next domain and database in once the plan allows more', async () => {
    expect((await req('PATCH', `/api/plans/${planId}`, { max_domains: 3, max_databases: null })).status).toBe(200);
    expect((await addDomain(`two-${a.username}.test`)).status).toBe(200);
    expect((await addDatabase('second')).status).toBe(200);
  });
});
