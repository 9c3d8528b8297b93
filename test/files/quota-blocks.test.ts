// Quota counts disk blocks, as `du -s -x` (the accounts plugin's disk_used_mb) counts them: a
// sparse file is charged what it takes and cannot be copied into a dense one past the quota,
// small files take whole blocks, a hard-linked file counts once. Refusals come before writing.
// Files made here outside the panel count once the panel's correcting walk has run (`recount`).
import { execFileSync } from 'node:child_process';
import { closeSync, linkSync, openSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileUsage } from '../../plugins/files/usage.js';
import { AGENT_TIMEOUT, MODES, startModeBed, treeState, type FilesBed } from './bed.js';

const KB = 1024;
const MB = 1024 * KB;

describe.each(MODES)('disk quota in blocks (%s mode, 1 MB plan)', AGENT_TIMEOUT, (mode) => {
  let bed: FilesBed & { user: { uid: number; gid: number } | null };
  const home = () => bed.home(1);
  const own = (p: string) => {
    if (bed.user) execFileSync('chown', ['-R', `${bed.user.uid}:${bed.user.gid}`, '--', p]);
  };
  const du = () => Number(execFileSync('du', ['-s', '-x', '-B1', '--', home()], { encoding: 'utf8' }).split('\t')[0]);
  const write = (p: string, size: number) =>
    bed.panel.request('POST', '/api/files/write', {
      body: { account_id: 1, path: p, content: 'x'.repeat(size) },
      as: 'user',
    });
  const recount = () => bed.panel.kernel.services.find(fileUsage)!.correct();
  const clean = (...names: string[]) => {
    for (const n of names) rmSync(path.join(home(), n), { recursive: true, force: true });
  };

  beforeAll(async () => {
    bed = await startModeBed(mode, { quotaMb: 1 });
  });
  afterAll(async () => {
    await bed.stop();
  });

  it('charges a sparse file by its blocks, and refuses a copy that would write it out in full', async () => {
    const sparse = path.join(home(), 'sparse.img');
    closeSync(openSync(sparse, 'w'));
    execFileSync('truncate', ['-s', '64M', '--', sparse]);
    own(sparse);
    await recount();
    expect((await write('/small.txt', 100 * KB)).status).toBe(200);
    const before = treeState(home());
    const res = await bed.panel.request('POST', '/api/files/copy', {
      body: { account_id: 1, from: '/sparse.img', to: '/dense.img' },
      as: 'user',
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatch(/^Disk quota exceeded: '\/dense\.img' needs 64\.0 MB but only 0\.\d MB/);
    expect(treeState(home())).toEqual(before);
    clean('sparse.img', 'small.txt');
  });

  it('charges small files whole blocks, agreeing with du to the byte', async () => {
    const dir = path.join(home(), 'many');
    execFileSync('mkdir', ['--', dir]);
    for (let i = 0; i < 200; i++) writeFileSync(path.join(dir, `f${i}`), 'x');
    own(dir);
    await recount();
    const free = MB - du();
    expect(free).toBeGreaterThan(8 * KB);
    const before = treeState(home());
    const refused = await write('/fill.txt', free + 1);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/^Disk quota exceeded: '\/fill\.txt'/);
    expect(treeState(home())).toEqual(before);
    expect((await write('/fill.txt', free)).status).toBe(200);
    expect(du()).toBeLessThanOrEqual(MB);
    clean('many', 'fill.txt');
  });

  it('counts a hard-linked file once', async () => {
    writeFileSync(path.join(home(), 'data.bin'), Buffer.alloc(600 * KB, 1));
    linkSync(path.join(home(), 'data.bin'), path.join(home(), 'data-link.bin'));
    own(path.join(home(), 'data.bin'));
    await recount();
    expect((await write('/more.txt', 300 * KB)).status).toBe(200);
    expect(du()).toBeLessThanOrEqual(MB);
    clean('data.bin', 'data-link.bin', 'more.txt');
  });
});
