// Byte-identical round trips (files with modes and inner links, rows in MariaDB and PostgreSQL
// through the real databases plugin and engines, PHP settings) through the local directory, S3
// (s3rver) and SFTP (real sshd), via the seed endpoints.
import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { standIns, type StandInState } from './stand-ins.js';
import { fillHome, snapshot } from './tree.js';

const bed = useServices('s3', 'sshd', 'mariadb', 'postgres');

describe.skipIf(bed.skip)('backup and restore round trip', () => {
  let panel: TestPanel;
  let state: StandInState;
  const dbPassword = 'Rt-db-pass-4242';

  beforeAll(async () => {
    process.env.VP_BT_MYSQL = bed.mariadb.adminPassword;
    process.env.VP_BT_PG = bed.postgres.adminPassword;
    process.env.VP_BT_S3 = bed.s3.secretAccessKey;
    process.env.VP_BT_SFTP_KEY = bed.sshd.privateKey;
    const s = standIns({ databases: false });
    state = s.state;
    panel = await startTestPanel({
      plugins: ['backups', 'backup-s3', 'backup-sftp', 'databases', 'mysql', 'postgresql'],
      inline: s.plugins,
      tier: 'pro',
      config: {
        plugins: {
          mysql: {
            host: '127.0.0.1',
            port: bed.mariadb.port,
            user: bed.mariadb.adminUser,
            password_env: 'VP_BT_MYSQL',
          },
          postgresql: { host: '127.0.0.1', port: bed.postgres.port, user: 'postgres', password_env: 'VP_BT_PG' },
          backups: {
            targets: [
              {
                id: 'offsite',
                type: 's3',
                endpoint: bed.s3.endpoint,
                region: bed.s3.region,
                bucket: bed.s3.bucket,
                prefix: 'round-trip/',
                access_key_id: bed.s3.accessKeyId,
                secret_access_key_env: 'VP_BT_S3',
                part_size_mb: 5,
              },
              {
                id: 'vault',
                type: 'sftp',
                host: bed.sshd.host,
                port: bed.sshd.port,
                username: bed.sshd.username,
                private_key_env: 'VP_BT_SFTP_KEY',
                host_key: bed.sshd.hostKey,
                path: 'round-trip',
              },
            ],
          },
        },
      },
    });
  });
  afterAll(async () => {
    await panel?.stop();
  });

  const maria = (db: string) =>
    mysql.createConnection({ host: '127.0.0.1', port: bed.mariadb.port, user: db, password: dbPassword, database: db });
  async function pgQuery<T>(db: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
    const c = new pg.Client({
      host: '127.0.0.1',
      port: bed.postgres.port,
      user: db,
      password: dbPassword,
      database: db,
    });
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  }

  async function rows(my: string, pgdb: string): Promise<unknown[]> {
    const c = await maria(my);
    try {
      const [r] = await c.query('SELECT id, name, price, note, HEX(blobby) AS blobby FROM products ORDER BY id');
      const [o] = await c.query('SELECT * FROM orders ORDER BY id');
      const p = await pgQuery(
        pgdb,
        async (q) =>
          (await q.query("SELECT id, title, body, encode(data, 'hex') AS data, tags FROM posts ORDER BY id")).rows,
      );
      return [r, o, p];
    } finally {
      await c.end();
    }
  }

  async function arrange(username: string) {
    const account = state.createAccount({ username });
    fillHome(account.home_dir);
    const made = await panel.request('POST', '/api/databases', {
      body: { account_id: account.id, db_name: 'shop', db_password: dbPassword, engine: 'mariadb' },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const madePg = await panel.request('POST', '/api/databases', {
      body: { account_id: account.id, db_name: 'blog', db_password: dbPassword, engine: 'postgresql' },
    });
    expect(madePg.status, JSON.stringify(madePg.body)).toBe(200);
    const db = { database: made.body.data.database as string, user: made.body.data.user as string };
    const pgdb = madePg.body.data.database as string;
    await pgQuery(pgdb, async (q) => {
      await q.query(
        'CREATE TABLE posts (id serial PRIMARY KEY, title text NOT NULL, body text, data bytea, tags text[])',
      );
      await q.query(
        "INSERT INTO posts (title, body, data, tags) VALUES ('Hello', E'multi\\nline ''quoted''', '\\x00ff', ARRAY['a','b']), ('$(id)', NULL, NULL, '{}'), ('ünïcødé ☕', 'x', '\\xdeadbeef', ARRAY['c'])",
      );
    });
    const c = await maria(db.database);
    await c.query(
      'CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(100), price DECIMAL(10,2), note TEXT NULL, blobby BLOB) CHARACTER SET utf8mb4',
    );
    await c.query('CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, product INT, qty INT)');
    await c.query(
      "INSERT INTO products VALUES (1, 'Tea ☕', 3.50, 'it''s \"quoted\"\\nnewline', UNHEX('00FF10')), (2, 'Cake', 12.00, NULL, NULL), (3, '$(id) `id`', 0.01, ';DROP TABLE x;--', UNHEX('DEADBEEF'))",
    );
    for (let i = 0; i < 50; i++) await c.query('INSERT INTO orders (product, qty) VALUES (?, ?)', [1 + (i % 3), i]);
    await c.end();
    state.php.set(account.id, { version: '8.1', mode: 'cgi', ini: { memory_limit: '256M' } });
    return { account, db, pgdb };
  }

  for (const target of ['local', 'offsite', 'vault']) {
    it(`restores files, rows and settings exactly through '${target}'`, async () => {
      const { account, db, pgdb } = await arrange(`rt${target.slice(0, 5)}`);
      const before = snapshot(account.home_dir);
      const rowsBefore = await rows(db.database, pgdb);

      const made = await panel.request('POST', `/api/backups/accounts/${account.id}`, { body: { target } });
      expect(made.status, JSON.stringify(made.body)).toBe(200);
      const backup = made.body.data;
      expect(backup.filename).toMatch(new RegExp(`^${account.username}-\\d{8}-\\d{6}\\.tar\\.gz$`));
      expect(backup).toMatchObject({ target, verified: true, account_id: account.id, warnings: [] });
      expect(
        backup.databases.map((d: { engine: string; database: string }) => `${d.engine}:${d.database}`).sort(),
      ).toEqual([`mariadb:${db.database}`, `postgresql:${pgdb}`]);
      expect(backup.files.skipped_count).toBe(0);

      const listed = await panel.request('GET', `/api/backups/accounts/${account.id}`);
      expect(listed.body.data).toContainEqual(
        expect.objectContaining({ filename: backup.filename, target, size: backup.size }),
      );

      fs.rmSync(path.join(account.home_dir, 'public_html/index.html'));
      fs.writeFileSync(path.join(account.home_dir, 'private/secret.txt'), 'changed');
      fs.writeFileSync(path.join(account.home_dir, 'added-later.txt'), 'not in the backup');
      fs.chmodSync(path.join(account.home_dir, 'bin/deploy.sh'), 0o600);
      const c = await maria(db.database);
      await c.query("UPDATE products SET name = 'changed' WHERE id = 1");
      await c.query('DELETE FROM orders WHERE id < 20');
      await c.end();
      await pgQuery(pgdb, (q) =>
        q.query("UPDATE posts SET title = 'changed'; INSERT INTO posts (title) VALUES ('new')"),
      );
      state.php.set(account.id, { version: '8.3', mode: 'fpm', ini: {} });
      expect(snapshot(account.home_dir)).not.toEqual(before);

      const restored = await panel.request('POST', `/api/backups/accounts/${account.id}/restore/${backup.filename}`);
      expect(restored.status, JSON.stringify(restored.body)).toBe(200);
      expect(restored.body.data).toMatchObject({
        status: 'complete',
        target,
        account_id: account.id,
        account_created: false,
      });
      expect(
        restored.body.data.items.map((i: { item: string; status: string }) => `${i.item}:${i.status}`).sort(),
      ).toEqual(
        [
          `database:${db.database}:restored`,
          `database:${pgdb}:restored`,
          'files:restored',
          'settings:php:restored',
        ].sort(),
      );
      expect(snapshot(account.home_dir)).toEqual(before);
      expect(await rows(db.database, pgdb)).toEqual(rowsBefore);
      expect(state.php.get(account.id)).toEqual({ version: '8.1', mode: 'cgi', ini: { memory_limit: '256M' } });
      expect(fs.readdirSync(path.dirname(account.home_dir)).filter((n) => n.startsWith('.vp-'))).toEqual([]);
    });
  }
});
