import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, expect, it } from 'vitest';
import type { DatabaseEngine, DatabaseGrant } from '../points/database-engines.js';
import { defineConformanceSuite } from './conformance.js';
import { databaseCredentialSuite } from './database-credential-conformance.js';

/** A login to a created database, opened the way a customer's application opens it. */
export interface TenantSession {
  /** Run one statement; resolves with its rows (empty for statements without rows). */
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Opens a {@link TenantSession}; rejects when the server refuses the login or the database. */
export type ConnectAs = (login: DatabaseGrant) => Promise<TenantSession>;

/** How to build the engine under test and reach its server, from connection info `C`. */
export interface DatabaseEngineConformanceOptions<C> {
  /** Connection info of a running server (a function when it is only known once tests run). */
  connection: C | (() => C | Promise<C>);
  /** Builds the engine under test. */
  factory(connection: C): DatabaseEngine | Promise<DatabaseEngine>;
  /** Logs in as a created user over the network, as an application would. */
  connectAs(connection: C, login: DatabaseGrant): Promise<TenantSession>;
  /** The same connection info pointing at nothing listening, to check the unavailable paths. */
  unreachable(connection: C): C;
}

interface Subject {
  engine: DatabaseEngine;
  connectAs: ConnectAs;
  unreachable: DatabaseEngine;
}

const HOSTILE_PASSWORD = 'a\'; DROP DATABASE x; -- `b` "c" $$ \\ %_';

/** The conformance suite of the `database-engines` point; most callers use {@link describeDatabaseEngineConformance}. */
export const databaseEngineSuite = defineConformanceSuite<Subject>('database-engines', (get) => {
  const tag = randomBytes(4).toString('hex');
  const made: DatabaseGrant[] = [];
  const grant = (n: string, password = `Pw-${randomBytes(9).toString('base64url')}`): DatabaseGrant => {
    const g = { database: `cf${tag}_${n}`, user: `cf${tag}_${n}`, password };
    made.push(g);
    return g;
  };
  const a = grant('a');
  const b = grant('b');
  const items = async (login: DatabaseGrant) => {
    const s = await (await get()).connectAs(login);
    try {
      return (await s.query('SELECT name FROM items ORDER BY id')).map((r) => String(Object.values(r)[0]));
    } finally {
      await s.close();
    }
  };
  afterAll(async () => {
    const { engine } = await get();
    for (const g of made) await engine.drop(g).catch(() => undefined);
    await engine.close?.();
  });

  it('reports itself available with a server version', async () => {
    const { engine } = await get();
    const h = await engine.health();
    expect(h).toMatchObject({ available: true });
    expect(h.version).toMatch(/\d+\.\d+/);
    expect(engine.limits.database).toBeGreaterThan(0);
    expect(engine.limits.user).toBeGreaterThan(0);
  });

  it('creates a database whose user logs in with its password and works in it', async () => {
    const { engine, connectAs } = await get();
    await engine.create(a);
    await engine.create(b);
    const s = await connectAs(a);
    await s.query('CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(40))');
    await s.query("INSERT INTO items (id, name) VALUES (1, 'one'), (2, 'two')");
    await s.close();
    expect(await items(a)).toEqual(['one', 'two']);
    expect(await engine.exists(a)).toEqual({ database: true, user: true });
  });

  it('refuses a wrong password and keeps each user out of other databases', async () => {
    const { connectAs } = await get();
    await expect(connectAs({ ...a, password: a.password + 'x' })).rejects.toThrow();
    await expect(connectAs({ database: a.database, user: b.user, password: b.password })).rejects.toThrow();
    await expect(connectAs({ database: b.database, user: a.user, password: a.password })).rejects.toThrow();
  });

  it('lists size and table count of existing databases only', async () => {
    const { engine } = await get();
    const stats = await engine.list([a.database, b.database, `cf${tag}_missing`]);
    expect(stats.map((s) => s.database).sort()).toEqual([a.database, b.database]);
    const sa = stats.find((s) => s.database === a.database)!;
    expect(sa.tables).toBe(1);
    expect(sa.size).toBeGreaterThan(0);
    expect(stats.find((s) => s.database === b.database)!.tables).toBe(0);
    expect(await engine.list([])).toEqual([]);
  });

  it('answers a taken database or user with a conflict and leaves the original working', async () => {
    const { engine } = await get();
    await expect(engine.create({ ...a, password: 'Another-pass-1' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const sameUser = { database: `cf${tag}_c`, user: a.user, password: 'Another-pass-1' };
    await expect(engine.create(sameUser)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await engine.exists(sameUser)).database).toBe(false);
    expect(await items(a)).toEqual(['one', 'two']);
  });

  it('stores a password full of quotes safely and refuses unsafe or overlong names', async () => {
    const { engine, connectAs } = await get();
    const h = grant('h', HOSTILE_PASSWORD);
    await engine.create(h);
    await (await connectAs(h)).close();
    await expect(connectAs({ ...h, password: "a'" })).rejects.toThrow();
    for (const bad of [
      "x'; DROP DATABASE y; --",
      'a`b',
      'a"b',
      'a$$b',
      'a\nb',
      'a\0b',
      'x'.repeat(engine.limits.database + 1),
    ])
      await expect(
        engine.create({ database: bad, user: `cf${tag}_u`, password: 'Another-pass-1' }),
      ).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(
      engine.create({ database: `cf${tag}_u`, user: 'x'.repeat(engine.limits.user + 1), password: 'Another-pass-1' }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await engine.exists({ database: `cf${tag}_u`, user: `cf${tag}_u` })).toEqual({
      database: false,
      user: false,
    });
  });

  it('dumps to a stream and restores it into another database', async () => {
    const { engine } = await get();
    const out = new PassThrough();
    const [, dump] = await Promise.all([engine.dump(a.database, out), buffer(out)]);
    expect(dump.toString('utf8')).toContain('items');
    await engine.restore(b, Readable.from([dump]));
    expect(await items(b)).toEqual(['one', 'two']);
    expect((await engine.list([b.database]))[0]!.tables).toBe(1);
  });

  it('restores with the rights of the database only: no client commands, no admin statements, no other database', async () => {
    const { engine } = await get();
    const marker = path.join(os.tmpdir(), `velopanel-conformance-${tag}`);
    const evil = `cf${tag}_evil`;
    for (const hostile of [
      `\\! touch ${marker}\n`,
      `CREATE USER ${evil};\n`,
      `CREATE TABLE ${a.database}.pwned (id INTEGER);\n`,
    ])
      await expect(engine.restore(b, Readable.from([hostile]))).rejects.toThrow();
    expect(existsSync(marker)).toBe(false);
    rmSync(marker, { force: true });
    expect((await engine.exists({ database: evil, user: evil })).user).toBe(false);
    expect((await engine.list([a.database]))[0]!.tables).toBe(1);
  });

  it('drops the database and its user, and dropping again is harmless', async () => {
    const { engine, connectAs } = await get();
    await engine.drop(a);
    expect(await engine.exists(a)).toEqual({ database: false, user: false });
    await expect(connectAs(a)).rejects.toThrow();
    await engine.drop(a);
    expect(await engine.list([a.database])).toEqual([]);
  });

  it('names itself when its server cannot be reached, without the server address', async () => {
    const { engine, unreachable } = await get();
    const h = await unreachable.health();
    expect(h.available).toBe(false);
    expect(h.error).toContain(engine.name);
    // What tenants read says what failed; the driver's words (hosts, sockets, paths) are admin-only detail.
    expect(h.error).not.toMatch(/ECONNREFUSED|ENOENT|127\.0\.0\.1|\.sock/);
    const refused = await unreachable.create(grant('z')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining(engine.name) });
    expect((refused as Error).message).not.toMatch(/ECONNREFUSED|ENOENT|127\.0\.0\.1|\.sock/);
    await unreachable.close?.();
  });
});

/**
 * Register the database-engine conformance tests for one engine — with the restore-fidelity part
 * ({@link databaseCredentialSuite}). First-party and third-party engines run it unchanged against
 * a real server.
 *
 * @example
 * ```ts
 * const bed = useServices('postgres');
 * describe.skipIf(bed.skip)('postgresql', () => describeDatabaseEngineConformance('postgresql', {
 *   connection: () => bed.postgres,
 *   factory: (c) => makeEngine(c),
 *   connectAs: (c, login) => openPgSession(c, login),
 *   unreachable: (c) => ({ ...c, port: 1 }),
 * }));
 * ```
 */
export function describeDatabaseEngineConformance<C>(entryId: string, opts: DatabaseEngineConformanceOptions<C>): void {
  const subject = async (): Promise<Subject> => {
    const connection = await (typeof opts.connection === 'function'
      ? (opts.connection as () => C | Promise<C>)()
      : opts.connection);
    return {
      engine: await opts.factory(connection),
      connectAs: (login: DatabaseGrant) => opts.connectAs(connection, login),
      unreachable: await opts.factory(opts.unreachable(connection)),
    };
  };
  databaseEngineSuite.run(entryId, subject);
  databaseCredentialSuite.run(entryId, subject);
}
