// Attack class 17: no password in any process's argv while databases are created, dumped and
// restored (polling /proc/*/cmdline as the tools run; dump and restore streams are held until the
// tool has been seen, so the watch provably overlaps them), and none in the panel's log.
import { existsSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseEngines, type DatabaseEngine } from '../../sdk/index.js';
import type { TestPanel } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { mysqlSession, pgSession, startDatabasePanel } from './fixtures.js';
import { watchCmdlines, type Sighting } from './proc-watch.js';

const bed = useServices('mariadb', 'postgres');
const PASSWORDS = { mysql: 'Carol-MySQL-pass-91', postgresql: 'Carol-Pg-pass-92' };
const PASSWORD_FLAG = /^(-p|--password|password=)|password=/;

describe.skipIf(bed.skip)('passwords stay out of argv and logs', () => {
  let panel: TestPanel;
  const log: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  let secrets: string[];
  const engine = (id: string) =>
    panel.kernel.extensions.entries<DatabaseEngine>(databaseEngines).find((e) => e.entryId === id)!.value;

  beforeAll(async () => {
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      log.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof process.stdout.write;
    panel = await startDatabasePanel(bed.mariadb, bed.postgres, ['carol', 'dave'], {
      config: { log_level: 'debug', log_format: 'json' },
    });
    secrets = [bed.mariadb.adminPassword, bed.postgres.adminPassword, ...Object.values(PASSWORDS)];
  });
  afterAll(async () => {
    process.stdout.write = write;
    await panel?.stop();
  });

  function checkTools(sightings: Sighting[]): void {
    expect(sightings.length).toBeGreaterThan(0);
    for (const s of sightings) {
      expect(s.argv.filter((a) => PASSWORD_FLAG.test(a))).toEqual([]);
      if (s.optionFile) expect(s.optionFile).toMatchObject({ mode: 0o600, dirMode: 0o700 });
    }
  }

  it('creates databases without a password in any argv', async () => {
    const watch = watchCmdlines(secrets, /^(mariadb|mysql|psql|pg_dump|mariadb-dump|mysqldump)$/);
    for (const [id, password] of Object.entries(PASSWORDS)) {
      const res = await panel.request('POST', '/api/databases', {
        body: { account_id: 1, db_name: `big_${id}`, db_password: password, engine: id },
      });
      expect(res.status).toBe(200);
    }
    const report = await watch.stop();
    expect(report.scans).toBeGreaterThan(0);
    expect(report.leaks).toEqual([]);
  });

  for (const id of ['mysql', 'postgresql'] as const) {
    it(`${id}: dumps and restores through tools that never see a password in argv`, async () => {
      const name = `carol_big_${id}`;
      const login = { database: name, user: name, password: PASSWORDS[id] };
      const open = () => (id === 'mysql' ? mysqlSession(bed.mariadb, login) : pgSession(bed.postgres, login));
      const s = await open();
      await s.query('CREATE TABLE blobs (id INTEGER PRIMARY KEY, v TEXT)');
      // Far more than pipe buffers hold, so the tools stay alive while the streams are held.
      for (let i = 1; i <= 80; i++)
        await s.query(`INSERT INTO blobs (id, v) VALUES (${i}, '${String(i % 10).repeat(60_000)}')`);
      await s.close();

      const dumpWatch = watchCmdlines(secrets, /^(mariadb-dump|mysqldump|pg_dump)$/);
      const chunks: Buffer[] = [];
      const held = new Writable({
        write: (c: Buffer, _e, cb) => {
          chunks.push(c);
          void dumpWatch.sighted.then(() => cb());
        },
      });
      await engine(id).dump(name, held);
      const dumped = await dumpWatch.stop();
      expect(dumped.leaks).toEqual([]);
      checkTools(dumped.sightings);
      for (const s of dumped.sightings) if (s.optionFile) expect(existsSync(s.optionFile.path)).toBe(false);
      expect(Buffer.concat(chunks).length).toBeGreaterThan(4_000_000);

      const copy = await panel.request('POST', '/api/databases', {
        body: { account_id: 1, db_name: `copy_${id}`, db_password: PASSWORDS[id], engine: id },
      });
      expect(copy.status).toBe(200);
      const restoreWatch = watchCmdlines(secrets, /^(mariadb|mysql|psql)$/);
      const source = Readable.from(
        (async function* () {
          await restoreWatch.sighted;
          yield* chunks;
        })(),
      );
      await engine(id).restore({ database: copy.body.data.database, user: copy.body.data.user }, source);
      const restored = await restoreWatch.stop();
      expect(restored.leaks).toEqual([]);
      checkTools(restored.sightings);
      for (const s of restored.sightings) if (s.optionFile) expect(existsSync(s.optionFile.path)).toBe(false);
      const list = await panel.request('GET', '/api/databases/1');
      expect(list.body.data.find((d: { database: string }) => d.database === copy.body.data.database)).toMatchObject({
        tables: 1,
      });
    });
  }

  it('logs the work without any password', () => {
    const text = log.join('');
    expect(text).toContain('database created');
    for (const s of secrets) expect(text).not.toContain(s);
  });
});
