// Login names are unique case-insensitively, and the store itself enforces it on every store (a
// UNIQUE index on the lowered name): two creates of `Racer` and `racer` racing past the check
// before the insert cannot both succeed; the loser gets the 409 the check gives. A login matches
// its name in any letter case on every store (MariaDB's collation alone used to do it there only);
// the login throttle already counts a name in any case as one (test/auth/throttle.test.ts).
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserStore } from '../../core/auth/user-store.js';
import { scratchDatabase } from '../bed/helpers/scratch-db.js';
import { useServices } from '../bed/index.js';
import { type BarePanel, startBarePanel } from './helpers.js';
import { STORES } from './username-stores.js';

const bed = useServices('mariadb', 'postgres');
const admin = { username: 'admin', password: 'MySecurePass123' };
const password = 'RacerPass12345';

for (const store of STORES) {
  const skip = !!store.engine && bed.skip;
  describe.skipIf(skip)(`login names on ${store.name}`, () => {
    const db = store.engine && !skip ? scratchDatabase(bed, store.engine, 'vp_userunique') : null;
    let panel: BarePanel;
    let token: string;
    beforeAll(async () => {
      await db?.create();
      panel = await startBarePanel(db ? { config: { database_url: db.url() } } : {});
      expect((await panel.call('POST', '/api/auth/setup', { body: admin })).status).toBe(200);
      token = (await panel.call('POST', '/api/auth/login', { body: admin })).body.data.token;
    }, 120_000);
    afterAll(async () => {
      await panel?.stop();
      await db?.drop();
    });

    const users = () => panel.kernel.users as UserStore;
    const named = async (knex: Knex, name: string) =>
      (await knex('core_users').select('username')).filter((r) => r.username.toLowerCase() === name).length;

    it('logs `ADMIN` and `Admin` in as admin, and refuses a wrong password in any case alike', async () => {
      for (const username of ['ADMIN', 'Admin']) {
        const res = await panel.call('POST', '/api/auth/login', { body: { username, password: admin.password } });
        expect(res.status).toBe(200);
        expect(res.body.data).toMatchObject({ username: 'admin', role: 'admin' });
      }
      const wrong = await panel.call('POST', '/api/auth/login', {
        body: { username: 'ADMIN', password: 'not-the-password' },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toBe('Invalid username or password');
    });

    it('lets exactly one of two racing creates of `Racer` and `racer` succeed; the other gets the 409', async () => {
      const hash = await users().hashPassword(password);
      const results = await store.race(panel, users(), hash, token);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const lost = results.find((r) => !r.ok)!;
      expect(lost).toMatchObject({ status: 409, error: `Username '${lost.username}' is already taken` });
      expect(await named(panel.kernel.knex, 'racer')).toBe(1);
    });
  });
}
