// Bandwidth through a real nginx when its logs are rotated more than once between two
// collections: the file the collector stopped in is read on from its offset where the chain has
// it (here gzipped, as logrotate's delaycompress leaves it: recognised by the fingerprint of its
// start), the file rotated in between is read whole, then the live one; nothing is counted twice.
// A stopped-in file that is gone entirely is reported in the collection's notes, and no file of
// the chain is read again.
import { existsSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { childPids } from '../../sdk/index.js';
import { collect, fetchBytes, usage } from './bandwidth-helpers.js';
import { accountBody, restartSetup, startHostingPanel } from './helpers.js';

/** Whether nginx (the master or a worker) has `file` open. */
function holds(master: number, file: string): boolean {
  for (const pid of [master, ...childPids(master)]) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === file) return true;
      } catch {
        // closed meanwhile
      }
    }
  }
  return false;
}

describe('bandwidth across log rotations between collections', () => {
  const bed = restartSetup();

  it('reads the whole rotation chain once, and reports what it cannot find', async () => {
    const h = await startHostingPanel({
      engine: 'nginx',
      nginx: bed.nginx,
      homeBase: bed.homes,
      extra: ['bandwidth'],
      config: { data_dir: bed.dataDir },
      plugins: { bandwidth: { collect_every: 'every 6h' } },
    });
    try {
      const a = (
        await h.panel.request('POST', '/api/accounts', { body: accountBody({ username: 'rota', domain: 'rota.test' }) })
      ).body.data;
      writeFileSync(path.join(a.home_dir, 'public_html', 'f.bin'), Buffer.alloc(40_000, 1));
      const port = bed.nginx.port;
      const log = path.join(bed.nginx.pluginConfig.access_log_dir as string, `${a.id}_rota.test.log`);
      // Lines in the plain files of the log.
      const lines = () =>
        readdirSync(path.dirname(log))
          .filter((f) => f.startsWith(path.basename(log)) && !f.endsWith('.gz'))
          .reduce((n, f) => n + readFileSync(path.join(path.dirname(log), f), 'utf8').split('\n').length - 1, 0);
      /** A fetch, once nginx has logged it (it writes the line after the answer has gone out). */
      const fetch = async () => {
        const before = lines();
        const n = await fetchBytes(port, 'rota.test', '/f.bin');
        for (let i = 0; i < 200 && lines() === before; i++) await sleep(10);
        expect(lines()).toBe(before + 1);
        return n;
      };
      /**
       * logrotate's rename, then a reload: the master opens a new file at the old path for the new
       * workers (a reopen cannot be used: the workers may not enter the root-only log directory).
       * Done once no nginx process holds the renamed file (the old workers have gone).
       */
      const rotate = async (to: string) => {
        renameSync(log, to);
        const master = Number(readFileSync(path.join(bed.nginx.dir, 'nginx.pid'), 'utf8'));
        await bed.nginx.reload();
        for (let i = 0; i < 300 && (!existsSync(log) || holds(master, to)); i++) await sleep(10);
        expect(holds(master, to)).toBe(false);
      };
      let total = await fetch();
      expect((await collect(h)).bytes).toBe(total);

      const unread = await fetch(); // in the stopped-in file, after its offset
      await rotate(`${log}.1`);
      const between = (await fetch()) + (await fetch()); // the file rotated in between
      writeFileSync(`${log}.2.gz`, gzipSync(readFileSync(`${log}.1`))); // compressed at the next rotation
      rmSync(`${log}.1`);
      await rotate(`${log}.1`);
      const live = await fetch();
      const run = await collect(h);
      expect(run).toMatchObject({ bytes: unread + between + live, notes: [] });
      total += unread + between + live;
      expect(await usage(h, a.id)).toBe(total);
      expect((await collect(h)).bytes).toBe(0);

      // The stopped-in file deleted before it was read on: a loss that is said, nothing read twice.
      await fetch();
      await rotate(`${log}.1`);
      rmSync(`${log}.1`);
      const after = await fetch();
      const lossy = await collect(h);
      expect(lossy.bytes).toBe(after);
      expect(lossy.notes).toEqual([expect.stringMatching(/rotated file was not found/)]);
      expect(await usage(h, a.id)).toBe(total + after);
      expect((await h.panel.request('GET', '/api/bandwidth')).body.data.last_collection.notes).toEqual(lossy.notes);
    } finally {
      await h.stop();
    }
  });
});
