// Another filesystem mounted inside a home (a provider's extra volume): deleting the mount point,
// or a folder that holds one, is refused with nothing changed — the purge would otherwise wipe
// the mounted files and then fail on the mount point. A folder inside the mount is deleted.
// Mounting needs root, as linux mode does.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TIMEOUT, isRoot, MODES, startModeBed, treeState, type FilesBed } from './bed.js';

describe.runIf(isRoot).each(MODES)('folders on a mounted filesystem (%s mode)', AGENT_TIMEOUT, (mode) => {
  let bed: FilesBed & { user: { uid: number; gid: number } | null };
  const del = (p: string) =>
    bed.panel.request('DELETE', '/api/files/delete', { body: { account_id: 1, path: p }, as: 'user' });
  /** A small tmpfs at `rel` inside the home, owned by the account, holding one folder with a file. */
  const mount = (rel: string) => {
    const at = path.join(bed.home(1), rel);
    mkdirSync(at, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0755', 'velopanel-test', at]);
    mkdirSync(path.join(at, 'inner'));
    writeFileSync(path.join(at, 'inner', 'keep.txt'), 'mounted data');
    if (bed.user)
      execFileSync('chown', [
        '-R',
        `${bed.user.uid}:${bed.user.gid}`,
        '--',
        path.join(bed.home(1), rel.split('/')[1]!),
      ]);
    return at;
  };

  beforeAll(async () => {
    bed = await startModeBed(mode);
  });
  afterAll(async () => {
    // Every test mount under this home, wherever a failed delete may have moved it; deepest first.
    const home = bed.home(1);
    const ours = readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' '))
      .filter(([source, at]) => source === 'velopanel-test' && at !== undefined && at.startsWith(`${home}/`))
      .map(([, at]) => at!);
    for (const at of ours.sort().reverse()) execFileSync('umount', ['-l', '--', at]);
    await bed.stop();
  });

  it('refuses to delete a mount point, changing nothing', async () => {
    const at = mount('/volume');
    const before = treeState(at);
    const res = await del('/volume');
    expect(res.status).toBe(409);
    expect(res.body.error).toBe(
      "'/volume' is a mount point (another filesystem is mounted there); it cannot be deleted",
    );
    expect(treeState(at)).toEqual(before);
  });

  it('refuses to delete a folder that holds a mount point, changing nothing', async () => {
    const at = mount('/site/uploads');
    writeFileSync(path.join(bed.home(1), 'site', 'index.html'), 'x');
    const before = treeState(path.join(bed.home(1), 'site'));
    const res = await del('/site');
    expect(res.status).toBe(409);
    expect(res.body.error).toBe(
      "'/site/uploads' is a mount point (another filesystem is mounted there): unmount it before deleting '/site'",
    );
    expect(treeState(path.join(bed.home(1), 'site'))).toEqual(before);
    expect(readdirSync(path.join(at, 'inner'))).toEqual(['keep.txt']);
  });

  it('answers 507 naming the path when the mounted filesystem is full, and leaves no partial file', async () => {
    const at = existsSync(path.join(bed.home(1), 'volume')) ? path.join(bed.home(1), 'volume') : mount('/volume');
    const filler = path.join(at, 'filler');
    try {
      writeFileSync(filler, Buffer.alloc(8 * 1024 * 1024));
    } catch {
      // the 4 MB filesystem is full now, as meant
    }
    const before = readdirSync(at)
      .filter((n) => n !== 'filler')
      .sort();
    const res = await bed.panel.request('POST', '/api/files/write', {
      body: { account_id: 1, path: '/volume/new.txt', content: 'x'.repeat(64 * 1024) },
      as: 'user',
    });
    rmSync(filler);
    expect(res.status, JSON.stringify(res.body)).toBe(507);
    expect(res.body).toMatchObject({
      code: 'NO_SPACE',
      error: "No space left on the device holding '/volume/new.txt' (disk or quota full)",
    });
    expect(readdirSync(at).sort()).toEqual(before);
  });

  it('deletes a folder inside the mount', async () => {
    const res = await del('/volume/inner');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ path: '/volume/inner', removed: 2 });
    expect(existsSync(path.join(bed.home(1), 'volume', 'inner'))).toBe(false);
    expect(existsSync(path.join(bed.home(1), 'volume'))).toBe(true);
  });
});
