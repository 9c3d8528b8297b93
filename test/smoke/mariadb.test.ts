// MariaDB as the databases plugin uses it: root creates a database and a password user,
// and that user works over TCP.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { useServices } from '../bed/index.js';

const bed = useServices('mariadb');

describe.skipIf(bed.skip)('smoke: mariadb', () => {
  const id = randomBytes(4).toString('hex');
  const db = `vp_smoke_${id}`;
  const user = `vp_u_${id}`;
  const password = randomBytes(12).toString('base64url');

  const asRoot = () => mysql.createConnection({ socketPath: bed.mariadb.socket, user: bed.mariadb.rootUser });

  afterAll(async () => {
    const root = await asRoot();
    await root.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await root.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [user]);
    await root.end();
  });

  it('root (socket) creates a database and a user; the user connects over TCP and creates a table', async () => {
    const root = await asRoot();
    await root.query(`CREATE DATABASE \`${db}\``);
    await root.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [user, password]);
    await root.query(`GRANT ALL PRIVILEGES ON \`${db}\`.* TO ?@'127.0.0.1'`, [user]);
    await root.end();

    const conn = await mysql.createConnection({
      host: bed.mariadb.host,
      port: bed.mariadb.port,
      user,
      password,
      database: db,
    });
    await conn.query('CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20))');
    await conn.query('INSERT INTO t VALUES (1, ?)', ['velopanel']);
    const [rows] = await conn.query('SELECT name FROM t WHERE id = 1');
    expect(rows).toEqual([{ name: 'velopanel' }]);
    await conn.end();
  });

  it('refuses a wrong password and accepts the TCP admin', async () => {
    const { host, port, adminUser, adminPassword } = bed.mariadb;
    await expect(mysql.createConnection({ host, port, user, password: 'wrong' })).rejects.toThrow(/Access denied/);
    const admin = await mysql.createConnection({ host, port, user: adminUser, password: adminPassword });
    const [rows] = await admin.query('SELECT CURRENT_USER() AS me');
    expect(rows).toEqual([{ me: `${adminUser}@127.0.0.1` }]);
    await admin.end();
  });
});
