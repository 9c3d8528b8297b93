// Attack classes 15 (SQL identifier and literal injection) and 18 (JSON type confusion) against
// /api/databases on real servers: every hostile name is refused with a 400 naming the field and
// leaves both servers exactly as they were; hostile-but-valid passwords are stored safely.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPanel } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { mysqlSession, pgSession, serverState, startDatabasePanel, systemEntries } from './fixtures.js';

const bed = useServices('mariadb', 'postgres');

const BAD_NAMES: unknown[] = [
  "a'; DROP DATABASE mysql; --",
  'a`b',
  'a"b',
  'a$$b',
  '$$; DROP ROLE postgres; $$',
  'a\nb',
  'a\r\nb',
  'a\0b',
  'x'.repeat(65),
  'x'.repeat(100_000),
  'Upper',
  '',
  '../x',
  'a b',
  'é',
  '%',
  'a-b',
  '-e',
  123,
  null,
  true,
  ['a'],
  { a: 1 },
];
const BAD_PASSWORDS: unknown[] = [
  'short',
  'abc\ndefghij',
  'abc\r\ndefghij',
  'abc\0defghij',
  'tab\there-12345',
  'x'.repeat(129),
  12345678,
  null,
  ['Long-pass-1'],
];
const BAD_ENGINES: unknown[] = ['oracle', "mysql'; --", 'MYSQL', '', 'my sql', 3, null];
const BAD_ACCOUNTS: unknown[] = ['1', 1.5, -1, 0, 1e20, '1 OR 1=1', null, [1]];
const HOSTILE_PASSWORD = 'a\'; DROP DATABASE mysql; -- `x` "y" $$ \\ %_ $1';

describe.skipIf(bed.skip)('hostile input to /api/databases', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startDatabasePanel(bed.mariadb, bed.postgres, ['mallory', 'trudy']);
  });
  afterAll(async () => {
    await panel?.stop();
  });

  const create = (body: Record<string, unknown>) => panel.request('POST', '/api/databases', { body });
  const valid = { account_id: 1, db_name: 'ok', db_password: 'Valid-pass-1' };

  it('refuses hostile and mistyped fields with a 400 naming the field, changing nothing on either server', async () => {
    const before = await serverState(bed.mariadb, bed.postgres);
    const refused: [string, unknown, Record<string, unknown>][] = [
      ...BAD_NAMES.flatMap((v) =>
        ['mysql', 'postgresql'].map(
          (engine) => ['db_name', v, { ...valid, engine, db_name: v }] as [string, unknown, Record<string, unknown>],
        ),
      ),
      ...BAD_PASSWORDS.map(
        (v) => ['db_password', v, { ...valid, db_password: v }] as [string, unknown, Record<string, unknown>],
      ),
      ...BAD_ENGINES.map((v) => ['engine', v, { ...valid, engine: v }] as [string, unknown, Record<string, unknown>]),
      ...BAD_ACCOUNTS.map(
        (v) => ['account_id', v, { ...valid, account_id: v }] as [string, unknown, Record<string, unknown>],
      ),
      ['host', 'x', { ...valid, host: '%' }],
    ];
    for (const [field, value, body] of refused) {
      const res = await create(body);
      expect(res.status, `${field} = ${JSON.stringify(value)}`).toBe(400);
      expect(res.body.ok).toBe(false);
      expect(res.body.error.startsWith(`${field}: `), `${field} = ${JSON.stringify(value)}: ${res.body.error}`).toBe(
        true,
      );
    }
    expect((await create({ ...valid, engine: 'oracle' })).body.error).toBe(
      "engine: unknown engine 'oracle' (available: mysql, mariadb, postgresql, postgres)",
    );
    for (const path of [
      "/api/databases/1/a'%3B%20DROP%20DATABASE%20mysql",
      '/api/databases/1/..%2F..',
      '/api/databases/1/a%00b',
      '/api/databases/abc/x',
      '/api/databases/1/' + 'x'.repeat(200),
    ])
      expect((await panel.request('DELETE', path)).status, path).toBe(400);
    expect((await panel.request('GET', '/api/databases/1%20OR%201=1')).status).toBe(400);
    const after = await serverState(bed.mariadb, bed.postgres);
    expect(systemEntries(after)).toEqual(systemEntries(before));
    expect([...after.mariadb, ...after.postgres].filter((n) => /mallory|trudy/.test(n))).toEqual([]);
    expect((await panel.request('GET', '/api/databases/1')).body.data).toEqual([]);
  });

  it('stores passwords full of quotes, backticks and $$ safely on every engine', async () => {
    for (const engine of ['mysql', 'mariadb', 'postgresql']) {
      const res = await create({ account_id: 2, db_name: `q_${engine}`, db_password: HOSTILE_PASSWORD, engine });
      expect(res.status).toBe(200);
      const login = { database: res.body.data.database, user: res.body.data.user, password: HOSTILE_PASSWORD };
      const open = (password: string) =>
        engine === 'postgresql'
          ? pgSession(bed.postgres, { ...login, password })
          : mysqlSession(bed.mariadb, { ...login, password });
      await (await open(HOSTILE_PASSWORD)).close();
      await expect(open("a'")).rejects.toThrow();
    }
  });

  it('lets PostgreSQL hash a non-ASCII password itself, and the login works', async () => {
    const password = 'pässwört-Ω-12';
    const res = await create({ account_id: 2, db_name: 'unicode', db_password: password, engine: 'postgresql' });
    expect(res.status).toBe(200);
    await (await pgSession(bed.postgres, { database: 'trudy_unicode', user: 'trudy_unicode', password })).close();
  });

  it('never echoes a password in an error', async () => {
    const res = await create({ account_id: 2, db_name: 'q_mysql', db_password: 'Secret-echo-1', engine: 'mysql' });
    expect(res.status).toBe(409);
    expect(JSON.stringify(res.body)).not.toContain('Secret-echo-1');
  });
});
