// No database password may appear in any process's arguments while backups dump and restores
// load MariaDB and PostgreSQL databases (hostile-inputs class 17).
import fs from 'node:fs';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { standIns, type StandInState } from './stand-ins.js';

const bed = useServices('mariadb', 'postgres');

/** Every process's argv once (without blocking the panel running in this process). */
async function sweep(secrets: string[], tools: RegExp, seen: Set<string>, leaks: string[]): Promise<void> {
  const pids = (await fs.promises.readdir('/proc')).filter((p) => /^\d+$/.test(p));
  await Promise.all(
    pids.map(async (pid) => {
      const argv = (await fs.promises.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ');
      const tool = tools.exec(argv);
      if (tool) seen.add(tool[0]);
      for (const s of secrets) if (argv.includes(s)) leaks.push(`${pid}: ${argv.slice(0, 200)}`);
    }),
  );
}

describe.skipIf(bed.skip)('secrets stay out of /proc/*/cmdline', () => {
  let panel: TestPanel;
  let state: StandInState;
  const dbPassword = 'Cmdline-Secret-9137';

  beforeAll(async () => {
    process.env.VP_PS_MYSQL = bed.mariadb.adminPassword;
    process.env.VP_PS_PG = bed.postgres.adminPassword;
    const s = standIns({ databases: false });
    state = s.state;
    panel = await startTestPanel({
      plugins: ['backups', 'databases', 'mysql', 'postgresql'],
      inline: s.plugins,
      config: {
        plugins: {
          mysql: {
            host: '127.0.0.1',
            port: bed.mariadb.port,
            user: bed.mariadb.adminUser,
            password_env: 'VP_PS_MYSQL',
          },
          postgresql: { host: '127.0.0.1', port: bed.postgres.port, user: 'postgres', password_env: 'VP_PS_PG' },
        },
      },
    });
    state.createAccount({ username: 'dana' });
    for (const [engine, name] of [
      ['mariadb', 'bigm'],
      ['postgresql', 'bigp'],
    ]) {
      const r = await panel.request('POST', '/api/databases', {
        body: { account_id: 1, db_name: name, db_password: dbPassword, engine },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const my = await mysql.createConnection({
      host: '127.0.0.1',
      port: bed.mariadb.port,
      user: 'dana_bigm',
      password: dbPassword,
      database: 'dana_bigm',
    });
    await my.query('CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(200))');
    await my.query('INSERT INTO t SELECT seq, REPEAT(MD5(seq), 6) FROM seq_1_to_150000');
    await my.end();
    const p = new pg.Client({
      host: '127.0.0.1',
      port: bed.postgres.port,
      user: 'dana_bigp',
      password: dbPassword,
      database: 'dana_bigp',
    });
    await p.connect();
    await p.query('CREATE TABLE t AS SELECT g AS id, repeat(md5(g::text), 6) AS v FROM generate_series(1, 150000) g');
    await p.end();
  });
  afterAll(async () => {
    await panel?.stop();
  });

  async function watch(
    start: () => Promise<string>,
    tools: RegExp,
  ): Promise<{ seen: Set<string>; leaks: string[]; state: string }> {
    const secrets = [dbPassword, bed.mariadb.adminPassword, bed.postgres.adminPassword];
    const seen = new Set<string>();
    const leaks: string[] = [];
    const jobId = await start();
    let job = { state: 'queued' };
    for (let i = 0; i < 20_000 && !['succeeded', 'failed'].includes(job.state); i++) {
      await sweep(secrets, tools, seen, leaks);
      if (i % 10 === 0) job = (await panel.request('GET', `/api/jobs/${jobId}`)).body.data;
    }
    return { seen, leaks, state: job.state };
  }

  it('while dumping and while restoring', { timeout: 300_000 }, async () => {
    const backup = await watch(
      async () => (await panel.request('POST', '/api/backups/accounts/1?async=true')).body.data.id,
      /\b(mariadb-dump|mysqldump|pg_dump)\b/,
    );
    expect(backup.state).toBe('succeeded');
    expect(backup.leaks).toEqual([]);
    expect(backup.seen.size, 'the dump tools were seen running (the sweep can see them)').toBeGreaterThan(0);

    const name = (await panel.request('GET', '/api/backups/accounts/1')).body.data[0].filename;
    const restore = await watch(
      async () => (await panel.request('POST', `/api/backups/accounts/1/restore/${name}?async=true`)).body.data.id,
      /\b(mariadb|mysql|psql)\s/,
    );
    expect(restore.state).toBe('succeeded');
    expect(restore.leaks).toEqual([]);
    expect(restore.seen.size).toBeGreaterThan(0);
  });
});
