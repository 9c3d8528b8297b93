// PostgreSQL as the databases plugin uses it: the superuser creates a role with a password and
// a database; the role connects over TCP with scram-sha-256; a wrong password is refused.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { useServices } from '../bed/index.js';

const bed = useServices('postgres');

describe.skipIf(bed.skip)('smoke: postgres', () => {
  const id = randomBytes(4).toString('hex');
  const role = `vp_r_${id}`;
  const db = `vp_db_${id}`;
  const password = randomBytes(12).toString('base64url');

  // superuser over the unix socket (trust; the socket dir is reachable by root/postgres only)
  const superuser = async () => {
    const c = new pg.Client({
      host: bed.postgres.socketDir,
      port: bed.postgres.port,
      user: bed.postgres.adminUser,
      database: 'postgres',
    });
    await c.connect();
    return c;
  };
  const asRole = (pw: string) =>
    new pg.Client({ host: bed.postgres.host, port: bed.postgres.port, user: role, password: pw, database: db });

  afterAll(async () => {
    const c = await superuser();
    await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await c.query(`DROP ROLE IF EXISTS ${role}`);
    await c.end();
  });

  it('creates a role with a password and a database it owns; the role uses it over TCP', async () => {
    const su = await superuser();
    await su.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await su.query(`CREATE DATABASE ${db} OWNER ${role}`);
    const { rows } = await su.query<{ rolpassword: string }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [
      role,
    ]);
    expect(rows[0]?.rolpassword).toMatch(/^SCRAM-SHA-256\$/);
    await su.end();

    const c = asRole(password);
    await c.connect();
    await c.query('CREATE TABLE t (id int PRIMARY KEY, name text)');
    await c.query('INSERT INTO t VALUES (1, $1)', ['velopanel']);
    const r = await c.query<{ name: string; me: string }>('SELECT name, current_user AS me FROM t');
    expect(r.rows).toEqual([{ name: 'velopanel', me: role }]);
    await c.end();
  });

  it('refuses a wrong password over TCP (scram, not trust)', async () => {
    const c = asRole('wrong-password');
    await expect(c.connect()).rejects.toMatchObject({ code: '28P01' });
    await c.end().catch(() => undefined);
  });

  it('the superuser also works over TCP with its password', async () => {
    const c = new pg.Client({ connectionString: bed.postgres.adminUrl });
    await c.connect();
    const r = await c.query<{ su: boolean }>('SELECT usesuper AS su FROM pg_user WHERE usename = current_user');
    expect(r.rows[0]?.su).toBe(true);
    await c.end();
  });
});
