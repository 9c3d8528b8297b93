// Hostile class 8/9 for database restores: a dump carrying client commands (`\! touch <canary>`
// for the mariadb client; `\!`, `\g |…`, `\o |…`, `\copy … program` for psql) never runs them and
// the restore says it refused — also when the installed client lacks `--sandbox` (mysql/mariadb)
// or `\restrict` (psql). Such an old client is the real one behind an ExecService that answers
// the capability probe as the old version would (and, for psql, fails on `\restrict` as an old
// psql does); the real client and server do the rest. A normal dump still restores through both.
import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemExec } from '../../core/exec.js';
import { mysqlEngines } from '../../plugins/mysql/index.js';
import { postgresqlEngine } from '../../plugins/postgresql/index.js';
import type { DatabaseAdminConfig, DatabaseEngine, DatabaseGrant, ExecService } from '../../sdk/index.js';
import type { TenantSession } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { mariadbBySocket, mysqlSession, pgSession, postgresByTcp } from './fixtures.js';

const bed = useServices('mariadb', 'postgres');
const real = new SystemExec();
const tag = Math.random().toString(36).slice(2, 8);

/** An old psql takes `\restrict` for an unknown command and stops (ON_ERROR_STOP). */
const oldPsqlInput = () =>
  new Transform({
    transform(chunk: Buffer, _e, done) {
      done(
        /(^|\n)\\(un)?restrict\b/.test(chunk.toString('latin1')) ? new Error('invalid command \\restrict') : null,
        chunk,
      );
    },
  });

/** The real exec, except that the clients answer like versions without `--sandbox` / `\restrict`. */
const oldClients: ExecService = {
  which: (c) => real.which(c),
  stream(c, a, o) {
    if (c !== 'psql' || !o?.stdin) return real.stream(c, a, o);
    const source = o.stdin as Readable;
    const old = oldPsqlInput();
    source.once('error', (e) => old.destroy(e));
    return real.stream(c, a, { ...o, stdin: source.pipe(old) });
  },
  async run(c, a, o) {
    const r = await real.run(c, a, o);
    if (a.includes('--help')) return { ...r, stdout: r.stdout.replace(/^\s*--sandbox\b.*$/gm, '') };
    if (a.includes('--version')) return { ...r, stdout: r.stdout.replace(/\d+\.\d+/, '15.13') };
    return r;
  },
};

interface Side {
  engine: (exec: ExecService) => DatabaseEngine;
  session: (login: DatabaseGrant) => Promise<TenantSession>;
  seed: string[];
  check: string;
  hostile: string[];
}

const canary = path.join(os.tmpdir(), `velopanel-canary-${tag}`);
const sides: Record<'mariadb' | 'postgresql', (admin: DatabaseAdminConfig) => Side> = {
  mariadb: (admin) => ({
    engine: (exec) => mysqlEngines(admin, exec).mariadb,
    session: (login) => mysqlSession(bed.mariadb, login),
    seed: [
      'CREATE TABLE notes (id INT PRIMARY KEY, body TEXT)',
      String.raw`INSERT INTO notes VALUES (1, 'it''s \\! a \\. note'), (2, 'system touch x'), (3, '\n\\ \0 "q" ` +
        "`b`')",
      "CREATE TRIGGER stamp BEFORE INSERT ON notes FOR EACH ROW SET NEW.body = CONCAT(NEW.body, ';')",
    ],
    check: 'SELECT body FROM notes ORDER BY id',
    hostile: [
      `CREATE TABLE t (id INT);\n\\! touch ${canary}\n`,
      `SELECT 1; \\! touch ${canary}\n`,
      `system touch ${canary}\n`,
    ],
  }),
  postgresql: (admin) => ({
    engine: (exec) => postgresqlEngine(admin, exec),
    session: (login) => pgSession(bed.postgres, login),
    seed: [
      'CREATE TABLE notes (id int PRIMARY KEY, body text)',
      String.raw`INSERT INTO notes VALUES (1, 'it''s \! a \. note'), (2, E'\\.\n\\! touch x'), (3, '$$ \restrict x')`,
      String.raw`CREATE FUNCTION squeeze(t text) RETURNS text LANGUAGE plpgsql AS $f$ BEGIN RETURN regexp_replace(t, '\s+', ' ', 'g'); END $f$`,
      'CREATE FUNCTION one() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END',
    ],
    check: 'SELECT body, squeeze(body) AS s, one() AS o FROM notes ORDER BY id',
    hostile: [
      `CREATE TABLE t (id int);\n\\! touch ${canary}\n`,
      `SELECT 1 \\g |touch ${canary}\n`,
      `\\o |touch ${canary}\nSELECT 1;\n`,
      `\\copy (SELECT 1) TO PROGRAM 'touch ${canary}'\n`,
      `/*\nCOPY t FROM stdin;\n*/\n\\! touch ${canary}\n\\.\n`,
    ],
  }),
};

describe.skipIf(bed.skip).each(['mariadb', 'postgresql'] as const)('%s restores never run client commands', (id) => {
  let side: Side;
  const db = (n: string): DatabaseGrant => ({
    database: `cc${tag}_${n}`,
    user: `cc${tag}_${n}`,
    password: 'Restore-pass-1',
  });
  const [src, mine, old] = [db('src'), db('new'), db('old')];
  let dump: Buffer;

  beforeAll(async () => {
    side = sides[id](
      id === 'mariadb'
        ? mariadbBySocket(bed.mariadb)
        : postgresByTcp(bed.postgres, 'VELOPANEL_TEST_PG_CLIENT_COMMANDS'),
    );
    const engine = side.engine(real);
    for (const g of [src, mine, old]) await engine.create(g);
    const s = await side.session(src);
    for (const sql of side.seed) await s.query(sql);
    await s.close();
    const out = new PassThrough();
    [, dump] = await Promise.all([engine.dump(src.database, out), buffer(out)]);
  });
  afterAll(async () => {
    rmSync(canary, { force: true });
    const engine = side?.engine(real);
    for (const g of [src, mine, old]) await engine?.drop(g).catch(() => undefined);
  });

  const rows = async (g: DatabaseGrant) => {
    const s = await side.session(g);
    try {
      return await s.query(side.check);
    } finally {
      await s.close();
    }
  };

  it.each([
    ['this', mine],
    ['an old', old],
  ] as const)('restores a normal dump with %s client', async (which, g) => {
    await side.engine(which === 'this' ? real : oldClients).restore(g, Readable.from([dump]));
    expect(await rows(g)).toEqual(await rows(src));
  });

  it('refuses a dump with client commands with this client, running none', async () => {
    for (const hostile of side.hostile)
      await expect(side.engine(real).restore(mine, Readable.from([hostile]))).rejects.toThrow();
    expect(existsSync(canary)).toBe(false);
  });

  it('refuses a dump with client commands with an old client, saying so and running none', async () => {
    const sandbox =
      id === 'mariadb'
        ? /the mysql client command '(\\!|system)' \(line \d\); it was refused and the restore stopped there/
        : /the psql command '\\(!|g|o|copy)' \(line \d\); it was refused and the restore stopped there, nothing of it kept/;
    for (const hostile of side.hostile) {
      await expect(side.engine(oldClients).restore(old, Readable.from([hostile])), hostile).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringMatching(sandbox),
      });
    }
    expect(existsSync(canary)).toBe(false);
    expect(await rows(old)).toEqual(await rows(src));
    // psql runs the dump in one transaction: what came before the refused line is not kept.
    if (id === 'postgresql') {
      const s = await side.session(old);
      expect(await s.query("SELECT to_regclass('t') AS t")).toEqual([{ t: null }]);
      await s.close();
    }
  });
});
