// Backups, restores, deletes and file changes of one account requested on two API nodes sharing a
// store (issue 24) behave as on one node: a delete on B stops A's backup (its job fails saying
// why, the partial archive goes); a backup or restore on B waits its turn behind A's, the job
// saying so; a restore on B waits for A's file change under way, and A's new ones answer 409
// naming the restore. Pause points hold A's operation while B's request goes in.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdAt } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { claimNodesConfig, heard, until } from './helpers.js';
import { sharedStores } from './stores.js';

const bed = useServices('postgres', 'mariadb');

describe.skipIf(bed.skip)('account operations requested on two API nodes', () => {
  for (const store of bed.skip ? [] : sharedStores(bed, 'vp_ops'))
    describe(store.name, () => {
      let a: TestPanel;
      let b: TestPanel;
      let n = 0;
      // The nodes share the homes, the backup directory and the signing key, as they share the store.
      const shared = mkdtempSync(path.join(os.tmpdir(), 'vp-ops-'));
      const backupsDir = path.join(shared, 'backups');
      const archivesOf = (username: string) =>
        existsSync(backupsDir) ? readdirSync(backupsDir).filter((f) => f.includes(`${username}-`)) : [];

      beforeAll(async () => {
        await store.create();
        const config = claimNodesConfig(path.join(shared, 'homes'), {
          backups: { dir: backupsDir, signing_key_file: path.join(shared, 'keys', 'manifest.key') },
        });
        const node = () =>
          startTestPanel({
            databaseUrl: store.url,
            plugins: ['accounts', 'domains', 'veloserve', 'backups', 'files'],
            config,
          });
        // One after the other: the first creates the schema.
        a = await node();
        b = await node();
      }, 120_000);

      afterAll(async () => {
        await a?.stop();
        await b?.stop();
        await store.drop();
        rmSync(shared, { recursive: true, force: true });
      });

      /** An account (made on A) whose home holds enough files that a backup walk is still going when held. */
      async function account(): Promise<{ id: number; username: string; home: string }> {
        n++;
        const username = `ops${n}${store.name === 'MariaDB' ? 'm' : 'p'}`;
        const res = await a.request('POST', '/api/accounts', {
          body: {
            username,
            domain: `${username}.test`,
            email: `o${n}@ops.test`,
            password: 'OpsOps12345!',
            plan: 'free',
          },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const home = res.body.data.home_dir as string;
        for (let d = 0; d < 3; d++) {
          mkdirSync(path.join(home, `d${d}`), { recursive: true });
          for (let f = 0; f < 100; f++) writeFileSync(path.join(home, `d${d}`, `f${f}.bin`), randomBytes(8 * 1024));
        }
        return { id: res.body.data.id, username, home };
      }

      const job = async (node: TestPanel, id: string) => (await node.request('GET', `/api/jobs/${id}`)).body.data;
      async function settled(node: TestPanel, id: string) {
        let last: any;
        await until(async () => !['queued', 'running'].includes((last = await job(node, id)).state), 60_000);
        return last;
      }

      it("a delete on B stops A's backup: the job fails saying why, no partial archive is left, the delete completes", async () => {
        const { id, username } = await account();
        const hold = holdAt('backups.create.writing');
        const started = await a.request('POST', `/api/backups/accounts/${id}?async=true`);
        expect(started.status).toBe(200);
        await hold.reached;
        const cancelled = heard(a.kernel, 'job-cancel');
        const deleting = b.request('DELETE', `/api/accounts/${id}`);
        // Let the held backup go on once A has been told to stop it (or B has answered without telling it).
        await Promise.race([cancelled, deleting]);
        hold.release();
        const stopped = await settled(a, started.body.data.id);
        const deleted = await deleting;
        expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
        expect([stopped.state, stopped.error]).toEqual([
          'failed',
          `Backup cancelled: account ${id} is being deleted; the unfinished archive was removed`,
        ]);
        expect(archivesOf(username)).toEqual([]);
        expect(readdirSync(backupsDir).filter((f) => f.startsWith('.'))).toEqual([]);
      }, 60_000);

      it("a restore on B waits its turn behind A's backup, its job saying so, and B's backup queues behind it; all complete", async () => {
        const { id } = await account();
        const made = await a.request('POST', `/api/backups/accounts/${id}`);
        expect(made.status, JSON.stringify(made.body)).toBe(200);
        const hold = holdAt('backups.create.writing');
        const first = await a.request('POST', `/api/backups/accounts/${id}?async=true`);
        await hold.reached;
        const waiting = `waiting for a backup of account ${id} running on another node (job ${first.body.data.id})`;
        const restore = await b.request(
          'POST',
          `/api/backups/accounts/${id}/restore/${made.body.data.filename}?async=true`,
        );
        expect(restore.status, JSON.stringify(restore.body)).toBe(200);
        await until(async () => (await job(b, restore.body.data.id)).message === waiting);
        // B's own backup queues behind B's restore, as on one node.
        const backup = await b.request('POST', `/api/backups/accounts/${id}?async=true`);
        expect(backup.status, JSON.stringify(backup.body)).toBe(200);
        expect((await job(b, restore.body.data.id)).state).toBe('running');
        expect((await job(b, backup.body.data.id)).state).toBe('queued');
        hold.release();
        const done = [
          await settled(a, first.body.data.id),
          await settled(b, restore.body.data.id),
          await settled(b, backup.body.data.id),
        ];
        expect(
          done.map((j) => j.state),
          JSON.stringify(done),
        ).toEqual(['succeeded', 'succeeded', 'succeeded']);
        expect(done[1].result.status).toBe('complete');
        expect(done[0].result.filename).not.toBe(done[2].result.filename);
      }, 90_000);

      it("a restore on B waits for A's file change under way; A's new changes answer 409 naming the restore", async () => {
        const { id, home } = await account();
        const made = await a.request('POST', `/api/backups/accounts/${id}`);
        expect(made.status, JSON.stringify(made.body)).toBe(200);
        const hold = holdAt('files.rename.checked');
        const renaming = a.request('POST', '/api/files/rename', {
          body: { account_id: id, from: '/d0/f0.bin', to: '/d0/moved.bin' },
        });
        await hold.reached;
        const restore = await b.request(
          'POST',
          `/api/backups/accounts/${id}/restore/${made.body.data.filename}?async=true`,
        );
        expect(restore.status, JSON.stringify(restore.body)).toBe(200);
        await until(
          async () =>
            (await job(b, restore.body.data.id)).message ===
            `waiting for file changes of account ${id} under way on another node`,
        );
        const write = await a.request('POST', '/api/files/write', {
          body: { account_id: id, path: '/public_html/during.txt', content: 'no' },
        });
        expect([write.status, write.body.error]).toEqual([
          409,
          `Account ${id} has a restore running (job ${restore.body.data.id}); try again when it has finished`,
        ]);
        hold.release();
        expect((await renaming).status).toBe(200);
        const done = await settled(b, restore.body.data.id);
        expect([done.state, done.result?.status], JSON.stringify(done)).toEqual(['succeeded', 'complete']);
        // The restore ran after the rename: the home is the backup's again.
        expect([existsSync(path.join(home, 'd0', 'f0.bin')), existsSync(path.join(home, 'd0', 'moved.bin'))]).toEqual([
          true,
          false,
        ]);
      }, 90_000);
    });
});
