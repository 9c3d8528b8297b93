import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernel } from '../../core/kernel.js';
import { SCHEDULER_LEASE } from '../../core/cluster/leases.js';
import { startTestPanel, TEST_LOGINS, type TestPanel } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { gate, heard, probe, sseEvents, until, type ProbeState } from './helpers.js';
import { sharedStores } from './stores.js';

const bed = useServices('postgres', 'mariadb');

describe.skipIf(bed.skip)('two API nodes sharing one store', () => {
  for (const store of bed.skip ? [] : sharedStores(bed, 'vp_nodes'))
    describe(store.name, () => {
      const steps = { one: gate(), two: gate() };
      const states: Record<'a' | 'b', ProbeState> = { a: { hang: null }, b: { hang: null } };
      let a: TestPanel;
      let b: TestPanel;

      beforeAll(async () => {
        await store.create();
        const config = { jwt_secret: randomBytes(32).toString('hex'), lease_ttl_ms: 2000 };
        a = await startTestPanel({ databaseUrl: store.url, config, inline: [probe('a', states.a)] });
        b = await startTestPanel({ databaseUrl: store.url, config, inline: [probe('b', states.b)] });
      }, 60_000);

      afterAll(async () => {
        steps.one.open();
        steps.two.open();
        await a?.stop();
        await b?.stop();
        await store.drop();
      });

      it('refuses on B an API token revoked on A as soon as B hears of it (not at the cache re-check)', async () => {
        const made = await a.request('POST', '/api/tokens', { body: { name: 'probe', scopes: ['jobs:read'] } });
        expect(made.status).toBe(200);
        const token = { token: made.body.data.token as string };
        expect((await b.request('GET', '/api/jobs', { as: token })).status).toBe(200);
        const told = heard(b.kernel, 'auth');
        expect((await a.request('DELETE', `/api/tokens/${made.body.data.id}`)).status).toBe(200);
        await told;
        // B had the token cached as good: without the notice it would keep it for the 15 s re-check.
        expect((await b.request('GET', '/api/jobs', { as: token })).status).toBe(401);
      });

      it('refuses on B a session whose password changed on A as soon as B hears of it', async () => {
        const old = { token: a.tokens.user };
        expect((await b.request('GET', '/api/auth/me', { as: old })).status).toBe(200);
        const told = heard(b.kernel, 'auth');
        const changed = await a.request('POST', '/api/auth/password', {
          as: old,
          body: { current_password: TEST_LOGINS.password, new_password: 'An0ther-Secure-Pass!' },
        });
        expect(changed.status).toBe(200);
        await told;
        expect((await b.request('GET', '/api/auth/me', { as: old })).status).toBe(401);
      });

      it('counts login attempts made on A against the same address and username on B', async () => {
        // Guesses spread over two nodes meet one set of limits (10 per address and username here),
        // not one per node: B refuses the next guess once it has heard of A's ten.
        const guess = (node: TestPanel) =>
          node.request('POST', '/api/auth/login', {
            as: 'anon',
            body: { username: 'spread-guesser', password: 'wrong-password-1' },
          });
        let told = 0;
        const count = () => {
          told++;
        };
        b.kernel.changes.on('throttle', count);
        try {
          for (let i = 0; i < 10; i++) expect((await guess(a)).status).toBe(401);
          await until(async () => told >= 10, 10_000);
        } finally {
          b.kernel.changes.off('throttle', count);
        }
        const refused = await guess(b);
        expect(refused.status).toBe(429);
        expect(refused.body.error).toMatch(/^Too many failed login attempts for this username from your address/);
      });

      it('lists on B a job running on A and streams its progress there to the end', async () => {
        const job = await states.a.ctx!.jobs.start({ kind: 'probe.steps', ownerUserId: 1 }, async (h) => {
          h.progress(10, 'waiting');
          await steps.one.promise;
          h.progress(60, 'half way');
          await steps.two.promise;
          return { done: true };
        });
        await until(async () => (await b.kernel.jobs.get(job.id))?.state === 'running');
        const listed = await b.request('GET', '/api/jobs');
        expect(listed.body.data.map((j: { id: string }) => j.id)).toContain(job.id);
        expect(b.kernel.jobs.runsHere(job.id)).toBe(false);
        const events = await sseEvents(`${b.url}/api/jobs/${job.id}/events`, b.tokens.admin);
        expect((await events.next()).state).toBe('running');
        steps.one.open();
        expect(await events.until((e) => e.progress === 60)).toMatchObject({ message: 'half way' });
        steps.two.open();
        expect(await events.until((e) => e.type === 'end')).toMatchObject({
          state: 'succeeded',
          result: { done: true },
        });
      });

      it('cancels from B a job running on A', async () => {
        const job = await states.a.ctx!.jobs.start(
          { kind: 'probe.until-cancelled', ownerUserId: 1 },
          (h) => new Promise((_, reject) => h.signal.addEventListener('abort', () => reject(new Error('aborted')))),
        );
        await until(async () => (await b.kernel.jobs.get(job.id))?.state === 'running');
        expect((await b.request('POST', `/api/jobs/${job.id}/cancel`)).status).toBe(200);
        expect(await states.a.ctx!.jobs.wait(job.id)).toMatchObject({ state: 'cancelled' });
      });

      if (store.name === 'PostgreSQL')
        it('re-opens a dropped notification connection, drops what it cached meanwhile, and hears again', async () => {
          const token = async (name: string) => {
            const made = await a.request('POST', '/api/tokens', { body: { name, scopes: ['jobs:read'] } });
            const t = { id: made.body.data.id as number, as: { token: made.body.data.token as string } };
            expect((await b.request('GET', '/api/jobs', { as: t.as })).status).toBe(200);
            return t;
          };
          const missed = await token('missed');
          const resynced = Promise.all([heard(a.kernel, 'resync'), heard(b.kernel, 'resync')]);
          const dropped = await a.kernel.knex.raw(
            "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'LISTEN %'",
          );
          expect(dropped.rows.length).toBe(2);
          // Revoked behind the nodes' backs (no notice at all): only the re-sync can end it on B before the re-check.
          await a.kernel.knex('core_api_tokens').where({ id: missed.id }).delete();
          await resynced;
          expect((await b.request('GET', '/api/jobs', { as: missed.as })).status).toBe(401);
          const later = await token('later');
          const told = heard(b.kernel, 'auth');
          expect((await a.request('DELETE', `/api/tokens/${later.id}`)).status).toBe(200);
          await told;
          expect((await b.request('GET', '/api/jobs', { as: later.as })).status).toBe(401);
        });

      it('runs a schedule on one node only, and on the other once the holder dies mid-run', async () => {
        const runs = () => a.kernel.knex('cluster_probe_runs').orderBy('id').select('node');
        await until(async () => (await runs()).length >= 3);
        expect(new Set((await runs()).map((r) => r.node)).size).toBe(1);
        const holderRow = await a.kernel.knex('core_leases').where({ name: SCHEDULER_LEASE }).first();
        const [holder, other, holderName, otherName] =
          holderRow.holder === a.kernel.leases.nodeId ? ([a, b, 'a', 'b'] as const) : ([b, a, 'b', 'a'] as const);
        expect(holderRow.holder).toBe(holder.kernel.leases.nodeId);
        // The holder hangs in a run and starts a job, then dies without releasing anything.
        const hang = gate();
        states[holderName].hang = hang.promise;
        const before = (await runs()).length;
        await until(async () => (await runs()).length > before);
        const orphan = await states[holderName].ctx!.jobs.start(
          { kind: 'probe.forever' },
          () => new Promise(() => undefined),
        );
        kill(holder.kernel);
        await until(async () => (await runs()).some((r) => r.node === otherName), 30_000);
        expect((await a.kernel.knex('core_leases').where({ name: SCHEDULER_LEASE }).first()).holder).toBe(
          other.kernel.leases.nodeId,
        );
        await until(async () => (await other.kernel.jobs.get(orphan.id))?.state === 'failed', 30_000);
        hang.open();
      }, 60_000);
    });
});

/** What a SIGKILL leaves: no more renewals or schedules, and the leases still in the store until they expire. */
function kill(k: Kernel): void {
  k.leases.halt();
  k.scheduler.stop();
}
