// The account import slot across two API nodes on one store (issue 24): an import running on A
// makes B's answer 409 naming A's job, as a second import on one node does; once A's has finished
// B imports; a slot left by a node stopped mid-import (never released) lapses after its TTL.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOST_IMPORT_CLAIM } from '../import-claims.js';
import { definePlugin, failAt } from '../../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../../sdk/testing/index.js';
import { useServices } from '../../../test/bed/index.js';
import { claimNodesConfig, gate, until } from '../../../test/cluster/helpers.js';
import { sharedStores } from '../../../test/cluster/stores.js';

const bed = useServices('postgres', 'mariadb');
const CLAIMS = 'accounts_operation_claims';

/** On A only: rows named `held…` wait at their create's before-hook (after the import's check) until the test opens `go`. */
const held = { arrived: gate(), go: gate() };
const holder = definePlugin({
  manifest: { id: 'import-holder', version: '1.0.0', sdk: '^1.0.0', dependencies: ['accounts'] },
  start(ctx) {
    ctx.hooks.before('account.create', async ({ account }) => {
      if (!account.username.startsWith('held')) return;
      held.arrived.open();
      await held.go.promise;
    });
  },
});

const busy = (jobId: string) =>
  `Another account import is running (job ${jobId}); send this one again when it has finished`;

describe.skipIf(bed.skip)('the account import slot across two API nodes', () => {
  for (const store of bed.skip ? [] : sharedStores(bed, 'vp_import'))
    describe(store.name, () => {
      let a: TestPanel;
      let b: TestPanel;
      let aStopped = false;
      const homes = mkdtempSync(path.join(os.tmpdir(), 'vp-import-homes-'));
      const rows = (prefix: string, n: number) =>
        Array.from({ length: n }, (_, i) => ({
          username: `${prefix}${i}`,
          domain: `${prefix}${i}.import.test`,
          email: `${prefix}${i}@import.test`,
          password: `Import-Pass-${i}`,
        }));
      const importOn = (node: TestPanel, prefix: string, query = '') =>
        node.request('POST', `/api/accounts/import${query}`, { body: { accounts: rows(prefix, 2) } });
      const slot = () => b.kernel.knex(CLAIMS).where({ kind: 'import' }).select('job_id');

      /** An import on A held mid-job (its rows at their before-hook); resolves with its job id. */
      async function heldOnA(prefix: string): Promise<string> {
        held.arrived = gate();
        held.go = gate();
        const started = await importOn(a, prefix, '?async=true');
        expect(started.status, JSON.stringify(started.body)).toBe(200);
        await held.arrived.promise;
        return started.body.data.id as string;
      }

      beforeAll(async () => {
        await store.create();
        const config = claimNodesConfig(homes);
        const node = (inline: ReturnType<typeof definePlugin>[], logLevel: 'silent' | 'error' = 'silent') =>
          startTestPanel({
            databaseUrl: store.url,
            plugins: ['accounts', 'domains', 'veloserve', 'files'],
            config: { ...config, log_level: logLevel },
            inline,
          });
        // One after the other: the first creates the schema. A logs its errors (the lost claim's line).
        a = await node([holder], 'error');
        b = await node([]);
      }, 60_000);

      afterAll(async () => {
        if (!aStopped) await a?.stop();
        await b?.stop();
        await store.drop();
        rmSync(homes, { recursive: true, force: true });
      });

      it("an import running on A makes B's answer 409 naming A's job; once A's has finished B imports", async () => {
        const job = await heldOnA('helda');
        try {
          const refused = await importOn(b, 'refused');
          expect([refused.status, refused.body.error]).toEqual([409, busy(job)]);
          // Nothing of the refused file was made.
          expect((await b.kernel.knex('accounts_accounts').where('username', 'like', 'refused%')).length).toBe(0);
        } finally {
          // Also when it failed: the next test starts with A's import ended.
          held.go.open();
          await until(async () => (await a.request('GET', `/api/jobs/${job}`)).body.data.state !== 'running');
        }
        expect((await a.request('GET', `/api/jobs/${job}`)).body.data).toMatchObject({
          state: 'succeeded',
          result: { status: 'ok' },
        });
        // Given up as the job ended: free on every node once the job shows ended.
        expect(await slot()).toEqual([]);
        const after = await importOn(b, 'afterb');
        expect(after.status, JSON.stringify(after.body)).toBe(200);
        expect(after.body.data).toMatchObject({ status: 'ok', failed: [] });
      }, 60_000);

      it('a node that cannot renew its import slot cancels its import before the slot lapses', async () => {
        const job = await heldOnA('heldr');
        const jobs = a.kernel.jobs;
        const cancel = jobs.cancel.bind(jobs);
        let cancelled: { reason?: string; at: number; slotExpiry: number } | null = null;
        jobs.cancel = async (id, reason) => {
          if (id === job) {
            const at = Date.now();
            const row = await b.kernel.knex(CLAIMS).where({ kind: 'import' }).first('expires_at');
            cancelled = { reason, at, slotExpiry: Number(row.expires_at) };
          }
          return cancel(id, reason);
        };
        const fault = failAt('accounts.claims.renew');
        const logged: string[] = [];
        const write = process.stdout.write;
        process.stdout.write = ((line: string | Uint8Array, ...rest: never[]) => {
          if (String(line).includes('claim')) logged.push(String(line));
          return write.call(process.stdout, line, ...rest);
        }) as typeof process.stdout.write;
        try {
          await until(async () => cancelled !== null, 10_000);
        } finally {
          process.stdout.write = write;
          fault.clear();
          jobs.cancel = cancel;
          held.go.open();
          await until(async () => (await a.request('GET', `/api/jobs/${job}`)).body.data.state !== 'running');
        }
        // Cancelled while the slot still stood: B never found it free while A's import went on.
        expect(cancelled!.reason).toBe(LOST_IMPORT_CLAIM);
        expect(cancelled!.at).toBeLessThan(cancelled!.slotExpiry);
        expect((await a.request('GET', `/api/jobs/${job}`)).body.data).toMatchObject({
          state: 'failed',
          error: LOST_IMPORT_CLAIM,
        });
        expect(await slot()).toEqual([]);
        // The log names the import's claim, not an account operation's.
        expect(logged.join('')).toContain(
          'account import claim could not be renewed in time: the import is cancelled (rows in flight are undone)',
        );
        expect(logged.join('')).not.toContain('account operation claim');
        // Its rows in flight (held at their before-hook when it was cancelled) stopped and were undone.
        expect(await b.kernel.knex('accounts_accounts').where('username', 'like', 'heldr%')).toEqual([]);
      }, 60_000);

      it('a slot left by a node stopped mid-import lapses after its TTL: then B imports', async () => {
        const job = await heldOnA('heldk');
        expect([(await importOn(b, 'lapsed')).body.error]).toEqual([busy(job)]);
        aStopped = true;
        await a.stop(); // the import never ends and its slot is never released: what a node's death leaves
        expect(await slot()).toEqual([{ job_id: job }]);
        let last = { status: 0, error: '' };
        await until(async () => {
          const res = await importOn(b, 'lapsed');
          last = { status: res.status, error: res.body.error };
          return res.status !== 409;
        }, 20_000);
        expect(last).toEqual({ status: 200, error: undefined });
      }, 60_000);
    });
});
