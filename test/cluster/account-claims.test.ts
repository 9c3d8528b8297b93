// The account operation lock across two API nodes on one store (issue 24): a restore claimed on
// node A is seen by node B — its delete and file changes answer 409 naming the restore — until A
// releases it, or until its TTL has passed after A stopped without releasing it; a delete on B
// stops A's backup; A stops its operation when it cannot renew its claim in time.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountOperations,
  definePlugin,
  failAt,
  type AccountOperations,
  type PluginContext,
} from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { claimNodesConfig, until } from './helpers.js';
import { sharedStores } from './stores.js';

const bed = useServices('postgres', 'mariadb');
const CLAIMS = 'accounts_operation_claims';

/** Work that runs until its job is cancelled (at once if the cancel came before the work began). */
const aborted = (signal: AbortSignal) =>
  new Promise<void>((_, reject) => {
    if (signal.aborted) reject(new Error('stopped'));
    else signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true });
  });

/** Hands the test a node's plugin context, to claim operations through the SDK's service. */
function probe(seen: { ctx?: PluginContext }) {
  return definePlugin({
    manifest: { id: 'claims-probe', version: '1.0.0', sdk: '^1.0.0' },
    start(ctx) {
      seen.ctx = ctx;
    },
  });
}

describe.skipIf(bed.skip)('account operation claims seen across two API nodes', () => {
  for (const store of bed.skip ? [] : sharedStores(bed, 'vp_claims'))
    describe(store.name, () => {
      const seen = { a: {} as { ctx?: PluginContext }, b: {} as { ctx?: PluginContext } };
      let a: TestPanel;
      let b: TestPanel;
      let aStopped = false;
      let n = 0;
      // The nodes share the homes as they share the store.
      const homes = mkdtempSync(path.join(os.tmpdir(), 'vp-claims-homes-'));
      const ops = (node: 'a' | 'b') => seen[node].ctx!.services.get(accountOperations) as AccountOperations;
      const claimsOf = (id: number) => b.kernel.knex(CLAIMS).where({ account_id: id }).select('kind', 'job_id');

      beforeAll(async () => {
        await store.create();
        const config = claimNodesConfig(homes);
        const node = (s: { ctx?: PluginContext }) =>
          startTestPanel({
            databaseUrl: store.url,
            plugins: ['accounts', 'domains', 'veloserve', 'files'],
            config,
            inline: [probe(s)],
          });
        // One after the other: the first creates the schema.
        a = await node(seen.a);
        b = await node(seen.b);
      }, 60_000);

      afterAll(async () => {
        if (!aStopped) await a?.stop();
        await b?.stop();
        await store.drop();
        rmSync(homes, { recursive: true, force: true });
      });

      async function account(): Promise<number> {
        n++;
        const res = await a.request('POST', '/api/accounts', {
          body: {
            username: `claim${n}`,
            domain: `claim${n}.test`,
            email: `c${n}@claim.test`,
            password: 'ClaimClaim123!',
            plan: 'free',
          },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.data.id as number;
      }

      /** A backup job on A holding the account's claim until it is cancelled; resolves once the store shows it. */
      async function backupOnA(id: number): Promise<string> {
        const ctx = seen.a.ctx!;
        const backup = await ops('a').acquire(id, 'backup');
        const job = await ctx.jobs.start({ kind: 'probe.backup' }, (h) => backup.run(() => aborted(h.signal)));
        backup.attach(job.id, (reason) => void ctx.jobs.cancel(job.id, reason));
        void ctx.jobs.wait(job.id).finally(() => backup.release());
        await until(async () => (await claimsOf(id)).some((c) => c.job_id === job.id));
        return job.id;
      }

      /** A delete of the account claimed and run on B. */
      async function deleteOnB(id: number): Promise<void> {
        const deleting = await ops('b').acquire(id, 'delete');
        await deleting.run(async () => undefined);
        deleting.release();
      }

      it('a restore claimed on A makes B refuse a delete and file changes naming it, until A releases it', async () => {
        const id = await account();
        const restore = await ops('a').acquire(id, 'restore');
        restore.attach('job-on-a', () => undefined);
        await until(async () => (await claimsOf(id)).some((c) => c.job_id === 'job-on-a'));
        // Held past its first expiry: A's renewals keep it standing while A lives.
        const first = Number((await b.kernel.knex(CLAIMS).where({ account_id: id }).first()).expires_at);
        await until(async () => Date.now() > first + 200);
        const busy = `Account ${id} has a restore running (job job-on-a); try again when it has finished`;
        const refused = await b.request('DELETE', `/api/accounts/${id}`);
        expect([refused.status, refused.body.error]).toEqual([409, busy]);
        const write = await b.request('POST', '/api/files/write', {
          body: { account_id: id, path: '/public_html/during.txt', content: 'no' },
        });
        expect([write.status, write.body.error]).toEqual([409, busy]);
        await expect(ops('b').acquire(id, 'delete')).rejects.toThrow(busy);
        restore.release();
        await until(async () => (await claimsOf(id)).length === 0);
        const deleted = await b.request('DELETE', `/api/accounts/${id}`);
        expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
      });

      it('a delete claimed on B refuses a restore, a backup and a second delete on A; a delete on B stops a backup on A', async () => {
        const id = await account();
        const del = await ops('b').acquire(id, 'delete');
        await expect(ops('a').acquire(id, 'restore')).rejects.toThrow(`Account ${id} is being deleted`);
        await expect(ops('a').acquire(id, 'backup')).rejects.toThrow(`Account ${id} is being deleted`);
        await expect(ops('a').acquire(id, 'delete')).rejects.toThrow(`Account ${id} is already being deleted`);
        del.release();
        await until(async () => (await claimsOf(id)).length === 0);
        // A delete on B stops A's backup through its job, as on one node, and runs once A released it.
        const job = await backupOnA(id);
        await deleteOnB(id);
        expect(await seen.a.ctx!.jobs.get(job)).toMatchObject({
          state: 'failed',
          error: `Backup cancelled: account ${id} is being deleted; the unfinished archive was removed`,
        });
      });

      it('a node that cannot renew its claim stops the operation holding it before the claim lapses; then B may delete', async () => {
        const id = await account();
        const ctx = seen.a.ctx!;
        const restore = await ops('a').acquire(id, 'restore');
        let stoppedAt = 0;
        const job = await ctx.jobs.start({ kind: 'probe.restore' }, (h) => restore.run(() => aborted(h.signal)));
        restore.attach(job.id, (reason) => {
          stoppedAt = Date.now();
          void ctx.jobs.cancel(job.id, reason);
        });
        await until(async () => (await claimsOf(id)).some((c) => c.job_id === job.id));
        const fault = failAt('accounts.claims.renew');
        try {
          await until(async () => (await ctx.jobs.get(job.id))?.state !== 'running', 10_000);
        } finally {
          fault.clear();
        }
        expect(await ctx.jobs.get(job.id)).toMatchObject({
          state: 'failed',
          error:
            'Stopped: this node could not renew its claim on the account in the store in time, so another node may take the account over',
        });
        // Stopped while the claim still stood: B never saw the account free while A's work went on.
        const row = await b.kernel.knex(CLAIMS).where({ account_id: id }).first();
        expect(stoppedAt).toBeLessThan(Number(row.expires_at));
        restore.release();
        await until(async () => (await claimsOf(id)).length === 0);
        expect((await b.request('DELETE', `/api/accounts/${id}`)).status).toBe(200);
      });

      it("a delete on B stops A's backup when no notification reaches A: the stop request is in the store", async () => {
        const id = await account();
        // NOTIFY is not kept for a listener that is reconnecting: here B's cancels never reach A.
        const feed = b.kernel.changes;
        const publish = feed.publish.bind(feed);
        feed.publish = async (topic, payload) => {
          if (topic !== 'job-cancel') await publish(topic, payload);
        };
        try {
          const job = await backupOnA(id);
          await deleteOnB(id);
          expect(await seen.a.ctx!.jobs.get(job)).toMatchObject({
            state: 'failed',
            error: `Backup cancelled: account ${id} is being deleted; the unfinished archive was removed`,
          });
        } finally {
          feed.publish = publish;
        }
      }, 60_000);

      it('no longer blocks B once the TTL of a claim held by a node stopped without releasing it has passed', async () => {
        const id = await account();
        await ops('a').acquire(id, 'restore');
        expect((await b.request('DELETE', `/api/accounts/${id}`)).status).toBe(409);
        aStopped = true;
        await a.stop();
        // The claim is still in the store: only its expiry frees the account.
        expect(await claimsOf(id)).toEqual([{ kind: 'restore', job_id: null }]);
        let last = 0;
        await until(async () => {
          const res = await b.request('DELETE', `/api/accounts/${id}`);
          last = res.status;
          return res.status !== 409;
        }, 20_000);
        expect(last).toBe(200);
      }, 40_000);
    });
});
