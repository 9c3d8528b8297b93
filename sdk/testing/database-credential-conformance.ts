import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, expect, it } from 'vitest';
import type { DatabaseCredential } from '../points/database-credentials.js';
import type { DatabaseEngine, DatabaseGrant } from '../points/database-engines.js';
import { defineConformanceSuite } from './conformance.js';
import type { ConnectAs } from './database-engine-conformance.js';

/** What the credential suite runs against: the engine and a way to log in as its users. */
export interface DatabaseCredentialSubject {
  engine: DatabaseEngine;
  connectAs: ConnectAs;
  unreachable?: DatabaseEngine;
}

/**
 * The part of the `database-engines` conformance suite about restores that must leave a site
 * working: password verifiers carried through a backup (only for engines that implement the
 * optional credential methods; skipped otherwise), and restored views working for the target
 * database's own user. {@link describeDatabaseEngineConformance} runs it for every engine.
 */
export const databaseCredentialSuite = defineConformanceSuite<DatabaseCredentialSubject>(
  'database-engines (restore fidelity)',
  (get) => {
    const tag = randomBytes(4).toString('hex');
    const made: DatabaseGrant[] = [];
    const grant = (n: string): DatabaseGrant => {
      const g = {
        database: `cr${tag}_${n}`,
        user: `cr${tag}_${n}`,
        password: `Pw-${randomBytes(9).toString('base64url')}`,
      };
      made.push(g);
      return g;
    };
    afterAll(async () => {
      const { engine, unreachable } = await get();
      for (const g of made) await engine.drop(g).catch(() => undefined);
      await engine.close?.();
      await unreachable?.close?.();
    });

    it("keeps a user's password through read, drop, recreate with another password, and apply", async (t) => {
      const { engine, connectAs } = await get();
      if (!engine.readCredential || !engine.applyCredential) return t.skip();
      const g = grant('keep');
      await engine.create(g);
      const read = await engine.readCredential(g.user);
      expect(read.credential, read.reason).not.toBeNull();
      expect(JSON.stringify(read)).not.toContain(g.password);
      expect(() => engine.checkCredential?.(read.credential!)).not.toThrow();
      await engine.drop(g);
      await engine.create({ ...g, password: 'Another-pass-1' });
      await engine.applyCredential(g.user, read.credential!);
      await (await connectAs(g)).close();
      await expect(connectAs({ ...g, password: 'Another-pass-1' })).rejects.toThrow();
      expect((await engine.readCredential(g.user)).credential).toEqual(read.credential);
    });

    it('refuses malformed, injected or foreign verifiers without touching the user or echoing them', async (t) => {
      const { engine, connectAs } = await get();
      if (!engine.readCredential || !engine.applyCredential || !engine.checkCredential) return t.skip();
      const g = grant('bad');
      await engine.create(g);
      const good = (await engine.readCredential(g.user)).credential!;
      const bad: DatabaseCredential[] = [
        { method: good.method, hash: `${good.hash}' OR '1'='1` },
        { method: good.method, hash: `${good.hash.slice(0, -4)}'; DROP USER x; -- ` },
        { method: good.method, hash: good.hash.slice(0, -2) },
        { method: good.method, hash: `${good.hash}\n` },
        { method: good.method, hash: good.hash.toLowerCase() },
        { method: good.method, hash: '' },
        { method: 'unix_socket', hash: good.hash },
        { method: 'trust', hash: good.hash },
        { method: `${good.method} OR unix_socket`, hash: good.hash },
      ];
      for (const c of bad) {
        expect(() => engine.checkCredential!(c), c.hash).toThrow();
        const e = await engine.applyCredential(g.user, c).then(
          () => null,
          (x: Error & { code?: string }) => x,
        );
        expect(e, c.hash).toMatchObject({ code: 'VALIDATION' });
        expect(e!.message).not.toContain(c.hash || '\0');
      }
      await (await connectAs(g)).close();
    });

    it('says why a user that does not exist has no credential', async (t) => {
      const { engine } = await get();
      if (!engine.readCredential) return t.skip();
      const read = await engine.readCredential(`cr${tag}_nobody`);
      expect(read.credential).toBeNull();
      expect(read.reason).toMatch(/\w/);
    });

    it("restores a dump of views defined by another user so they work for the target database's user", async () => {
      const { engine, connectAs } = await get();
      const a = grant('srcv');
      const b = grant('dstv');
      await engine.create(a);
      await engine.create(b);
      const s = await connectAs(a);
      await s.query('CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(40))');
      await s.query("INSERT INTO items (id, name) VALUES (1, 'one'), (2, 'two')");
      await s.query('CREATE VIEW named AS SELECT name FROM items WHERE id > 1');
      await s.close();
      const out = new PassThrough();
      const [, dump] = await Promise.all([engine.dump(a.database, out), buffer(out)]);
      await engine.restore(b, Readable.from([dump]));
      const t = await connectAs(b);
      try {
        expect((await t.query('SELECT name FROM named')).map((r) => String(Object.values(r)[0]))).toEqual(['two']);
      } finally {
        await t.close();
      }
      await (await connectAs(a)).close();
    });
  },
);
