// An account create whose panel login loses a race to the same name in other letter case (say a
// reseller `Racer` made at the same moment as the account `racer`): the store's unique index on the
// lowered name refuses the login, the create answers the 409 a plain clash gets, and everything the
// create made before is undone. The rival login is inserted in a transaction held open until the
// account's login insert is on its way (the check before it cannot see an uncommitted row), so the
// race happens every time. SQLite serialises its one connection: no such race there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../../../test/webserver/helpers.js';
import { scratchDatabase } from '../../../test/bed/helpers/scratch-db.js';
import { useServices } from '../../../test/bed/index.js';

const bed = useServices('mariadb', 'postgres');
const at = '2026-01-01 00:00:00';

for (const engine of ['pg', 'mysql'] as const) {
  describe.skipIf(bed.skip)(`an account login racing another login's name on ${engine}`, () => {
    const db = bed.skip ? null : scratchDatabase(bed, engine, 'vp_loginrace');
    let h: HostingPanel;
    beforeAll(async () => {
      await db!.create();
      h = await startHostingPanel({ engine: 'nginx', config: { database_url: db!.url() } });
    }, 120_000);
    afterAll(async () => {
      await h?.stop();
      await db?.drop();
    });

    it('answers 409 and leaves no account, domain or login behind', async () => {
      const body = accountBody();
      const rival = body.username[0]!.toUpperCase() + body.username.slice(1);
      const knex = h.panel.kernel.knex;
      const trx = await knex.transaction();
      let sent = () => {};
      const loginInsert = new Promise<void>((resolve) => {
        sent = resolve;
      });
      const watch = (q: { sql: string }) => {
        if (/^insert into [`"]core_users[`"]/i.test(q.sql)) sent();
      };
      try {
        const row = { username: rival, password_hash: 'x', role: 'reseller', created_at: at, updated_at: at };
        await trx('core_users').insert(row);
        // Watched from here: the held insert above is not the one awaited.
        knex.on('query', watch);
        const created = h.panel.request('POST', '/api/accounts', { body });
        await Promise.race([loginInsert, created]);
        await trx.commit();
        const res = await created;
        expect({ status: res.status, error: res.body.error }).toEqual({
          status: 409,
          error: `Username '${body.username}' is already taken`,
        });
      } finally {
        knex.off('query', watch);
        if (!trx.isCompleted()) await trx.rollback();
      }
      expect((await h.panel.request('GET', '/api/accounts')).body.data).toEqual([]);
      expect((await h.panel.request('GET', '/api/domains')).body.data).toEqual([]);
      expect(await knex('core_users').pluck('username')).not.toContain(body.username);
      expect(await knex('accounts_accounts').pluck('username')).toEqual([]);
    });
  });
}
