// The option file carries a hostile password to the real `mariadb` client intact: quotes,
// backslashes, `#`, `;`, spaces at both ends and a newline all survive the option-file parser.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { SystemExec } from '../../core/exec.js';
import { withOptionFile } from '../../plugins/mysql/option-file.js';
import { useServices } from '../bed/index.js';

const bed = useServices('mariadb');
const PASSWORD = ` a'b"c\\d #e ;f \`g\` $$h\n[client]\nuser=root `;

describe.skipIf(bed.skip)('MySQL option-file login', () => {
  const user = `optf_${randomBytes(4).toString('hex')}`;
  const admin = () => mysql.createConnection({ socketPath: bed.mariadb.socket, user: 'root' });
  afterAll(async () => {
    const c = await admin();
    await c.query('DROP USER IF EXISTS ?@?', [user, '127.0.0.1']);
    await c.end();
  });

  it('logs the client in with exactly the password, and not with a part of it', async () => {
    const c = await admin();
    await c.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '127.0.0.1', PASSWORD]);
    await c.end();
    const exec = new SystemExec();
    const login = { user, socket: '', host: '127.0.0.1', port: bed.mariadb.port };
    const run = (password: string) =>
      withOptionFile({ ...login, password }, (file) =>
        exec.run(
          'mariadb',
          [`--defaults-file=${file}`, '--batch', '--skip-column-names', '-e', 'SELECT CURRENT_USER()'],
          { allowFailure: true },
        ),
      );
    const ok = await run(PASSWORD);
    expect(ok.stdout.trim()).toBe(`${user}@127.0.0.1`);
    expect((await run(PASSWORD.trim())).code).not.toBe(0);
  });
});
