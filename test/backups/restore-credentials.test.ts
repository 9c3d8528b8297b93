// A deleted account restored from its backup must work as before: its database users come back
// with their ORIGINAL passwords (verifiers carried in the manifest), and MariaDB views, triggers
// and routines an admin defined as root@localhost come back defined by the database's own user,
// while row data that looks like a DEFINER clause stays byte for byte. Real accounts, databases,
// mysql and postgresql plugins against the bed's MariaDB and PostgreSQL.
import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { pgSession } from '../databases/fixtures.js';
import { archiveManifest, definerObjects, maria, withManifest } from './credential-fixtures.js';

const bed = useServices('mariadb', 'postgres');

describe.skipIf(bed.skip)('restoring a deleted account keeps database credentials and definer objects', () => {
  let panel: TestPanel;
  const user = 'credkeep';
  const shop = { database: `${user}_shop`, user: `${user}_shop`, password: 'Shop-orig-pass-771' };
  const blog = { database: `${user}_blog`, user: `${user}_blog`, password: 'Blog-orig-pass-772' };
  let accountId = 0;
  let backupFile = '';
  const root = () => mysql.createConnection({ socketPath: bed.mariadb.socket, user: 'root' });

  beforeAll(async () => {
    process.env.VP_RC_MYSQL = bed.mariadb.adminPassword;
    process.env.VP_RC_PG = bed.postgres.adminPassword;
    panel = await startTestPanel({
      plugins: ['accounts', 'domains', 'veloserve', 'backups', 'databases', 'mysql', 'postgresql'],
      config: {
        plugins: {
          mysql: {
            host: '127.0.0.1',
            port: bed.mariadb.port,
            user: bed.mariadb.adminUser,
            password_env: 'VP_RC_MYSQL',
          },
          postgresql: { host: '127.0.0.1', port: bed.postgres.port, user: 'postgres', password_env: 'VP_RC_PG' },
        },
      },
    });
  });
  afterAll(async () => {
    const live = (await panel?.request('GET', '/api/accounts'))?.body.data?.find(
      (a: { username: string }) => a.username === user,
    );
    if (live) await panel.request('DELETE', `/api/accounts/${live.id}`);
    await panel?.stop();
  });

  it('brings both databases back with the original passwords and working view, trigger and routines', async () => {
    const made = await panel.request('POST', '/api/accounts', {
      body: {
        username: user,
        domain: 'credkeep.test',
        email: 'c@credkeep.test',
        password: 'Credkeep123!',
        plan: 'free',
      },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    accountId = made.body.data.id;
    for (const [db, engine] of [
      [shop, 'mariadb'],
      [blog, 'postgresql'],
    ] as const) {
      const res = await panel.request('POST', '/api/databases', {
        body: { account_id: accountId, db_name: db.database.slice(user.length + 1), db_password: db.password, engine },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const admin = await root();
    const rowsBefore = await definerObjects(admin, shop.database);
    const [[{ hash }]] = await admin.query<any[]>(
      "SELECT authentication_string AS hash FROM mysql.user WHERE User = ? AND Host = '127.0.0.1'",
      [shop.user],
    );
    await admin.end();
    const pgBefore = await pgSession(bed.postgres, blog);
    await pgBefore.query(
      "CREATE TABLE posts (id int PRIMARY KEY, title text); INSERT INTO posts VALUES (1, 'DEFINER=`root`@`localhost`')",
    );
    await pgBefore.close();

    const backup = await panel.request('POST', `/api/backups/accounts/${accountId}`);
    expect(backup.status, JSON.stringify(backup.body)).toBe(200);
    expect(backup.body.data.warnings).toEqual([]);
    expect(JSON.stringify(backup.body)).not.toContain(hash);
    backupFile = backup.body.data.filename;
    const manifest = archiveManifest(fs.readFileSync(path.join(panel.dataDir, 'backups', backupFile)));
    const carried = Object.fromEntries(manifest.databases.map((d: any) => [d.database, d.credential]));
    expect(carried[shop.database]).toEqual({ method: 'mysql_native_password', hash });
    expect(carried[blog.database]).toMatchObject({
      method: 'scram-sha-256',
      hash: expect.stringMatching(/^SCRAM-SHA-256\$4096:/),
    });
    expect(JSON.stringify(manifest)).not.toContain(shop.password);
    expect(JSON.stringify(manifest)).not.toContain(blog.password);

    expect((await panel.request('DELETE', `/api/accounts/${accountId}`)).status).toBe(200);
    await expect(maria(bed.mariadb.port, shop)).rejects.toThrow();
    await expect(pgSession(bed.postgres, blog)).rejects.toThrow();

    const restored = await panel.request('POST', `/api/backups/accounts/${accountId}/restore/${backupFile}`);
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    const report = restored.body.data;
    expect(report).toMatchObject({ status: 'complete', account_created: true });
    expect(JSON.stringify(report)).not.toContain(hash);
    for (const db of [shop, blog])
      expect(report.items).toContainEqual(
        expect.objectContaining({
          item: `database:${db.database}`,
          status: 'restored',
          credentials: 'kept',
          detail: expect.stringContaining(`user ${db.user} keeps its original password`),
        }),
      );

    const app = await maria(bed.mariadb.port, shop);
    try {
      expect(await definerObjects(app, shop.database, { create: false })).toEqual(rowsBefore);
      const [definers] = await app.query<any[]>(
        `SELECT DEFINER AS d FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() UNION ALL
         SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() UNION ALL
         SELECT DEFINER FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()`,
      );
      expect(definers.map((r: { d: string }) => r.d)).toEqual(Array(4).fill(`${shop.user}@127.0.0.1`));
      await app.query("INSERT INTO items VALUES (99, 'after the restore')");
      const [[last]] = await app.query<any[]>('SELECT what FROM audit ORDER BY id DESC LIMIT 1');
      expect(last.what).toBe('DEFINER=`root`@`localhost` added 99');
    } finally {
      await app.end();
    }
    const pgAfter = await pgSession(bed.postgres, blog);
    expect(await pgAfter.query('SELECT title FROM posts')).toEqual([{ title: 'DEFINER=`root`@`localhost`' }]);
    await pgAfter.close();
  });

  it('refuses a backup whose manifest carries a malicious or malformed hash, and changes nothing', async () => {
    expect(backupFile).not.toBe('');
    const live = (await panel.request('GET', '/api/accounts')).body.data.find(
      (a: { username: string }) => a.username === user,
    );
    expect((await panel.request('DELETE', `/api/accounts/${live.id}`)).status).toBe(200);
    const archive = fs.readFileSync(path.join(panel.dataDir, 'backups', backupFile));
    const native = /"\*([0-9A-F]{40})"/;
    const cases: [(m: string) => string, RegExp][] = [
      [
        (m) => m.replace(native, `"*' OR 1=1; DROP DATABASE mysql; -- "`),
        /manifest: databases\.\d\.credential\.hash: must be a password verifier/,
      ],
      [
        (m) => m.replace(native, (_, hex: string) => `"*${hex.toLowerCase()}"`),
        /manifest: databases\.\d\.credential\.hash: is not a well-formed mysql_native_password verifier/,
      ],
      [
        (m) => m.replace('"method": "mysql_native_password"', '"method": "unix_socket"'),
        /manifest: databases\.\d\.credential\.method: must be one of mysql_native_password/,
      ],
      [
        (m) => m.replace(/SCRAM-SHA-256\$4096/, 'SCRAM-SHA-256$9999999'),
        /manifest: databases\.\d\.credential\.hash: must use 1000–100000 iterations/,
      ],
      [
        (m) => m.replace(/(SCRAM-SHA-256\$4096:[^$]+\$)[A-Za-z0-9+/]{4}/, "$1AAA'"),
        /manifest: databases\.\d\.credential\.hash: must be a password verifier/,
      ],
    ];
    const backups = path.join(panel.dataDir, 'backups');
    for (const [i, [edit, why]] of cases.entries()) {
      const name = `${user}-20250101-00000${i}.tar.gz`;
      fs.writeFileSync(path.join(backups, name), withManifest(archive, edit));
      const res = await panel.request('POST', `/api/backups/accounts/${accountId}/restore/${name}`);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error).toMatch(/^Restore refused: .*Nothing was changed\.$/);
      expect(res.body.error).toMatch(why);
    }
    const accounts = (await panel.request('GET', '/api/accounts')).body.data;
    expect(accounts.some((a: { username: string }) => a.username === user)).toBe(false);
    const admin = await root();
    const [users] = await admin.query<any[]>('SELECT User FROM mysql.user WHERE User LIKE ?', [`${user}\\_%`]);
    const [dbs] = await admin.query<any[]>(
      'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?',
      [`${user}\\_%`],
    );
    await admin.end();
    expect([...users, ...dbs]).toEqual([]);
  });
});
