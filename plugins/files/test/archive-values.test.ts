// Issue 20 note: compress kept a mode of 000 as 0644 and wrote times past 2038 or before 1970
// wrong (tar-stream's ustar fields); extract set no times at all. Checked with real GNU tar.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TIMEOUT, MODES, startModeBed, treeState, type FilesBed } from './bed.js';

const Y2040 = Date.UTC(2040, 0, 1) / 1000;
const Y1965 = Date.UTC(1965, 5, 1, 12, 30) / 1000;
const RECENT = Date.UTC(2024, 2, 3, 4, 5, 6) / 1000;

/** A folder holding a mode-000 file (when `locked`), files of 2040 and 1965, a folder of 1965. */
function makeTree(root: string, locked: boolean, owner?: { uid: number; gid: number } | null): void {
  mkdirSync(path.join(root, 'old'), { recursive: true });
  const files: [string, number, number][] = [
    ['future.txt', 0o640, Y2040],
    ['past.txt', 0o600, Y1965],
    ['old/inside.txt', 0o644, RECENT],
  ];
  if (locked) files.push(['locked.txt', 0o000, RECENT]);
  for (const [name, mode, time] of files) {
    writeFileSync(path.join(root, name), name, { mode });
    utimesSync(path.join(root, name), new Date(time * 1000), new Date(time * 1000)); // Node reads a negative number as now
  }
  utimesSync(path.join(root, 'old'), new Date(Y1965 * 1000), new Date(Y1965 * 1000));
  if (owner)
    for (const p of ['', 'old', ...files.map((f) => f[0])]) chownSync(path.join(root, p), owner.uid, owner.gid);
}

/** Mode bits and whole-second modification time of an extracted entry. */
const stated = (p: string) => {
  const st = statSync(p);
  return { mode: st.mode & 0o7777, mtime: Math.floor(st.mtimeMs / 1000) };
};

/** A .tar.gz of one file whose pax header carries `mtime` as given (a hostile or broken writer). */
async function paxMtimeArchive(mtime: string): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const sink = new Writable({ write: (c, _e, cb) => (chunks.push(c), cb()) });
  const done = pipeline(pack, zlib.createGzip(), sink);
  pack.entry({ name: 'odd/time.txt', mode: 0o644, pax: { mtime } }, 'x');
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

describe.each(MODES)('compress and extract keep modes and times (%s mode)', AGENT_TIMEOUT, (mode) => {
  let bed: FilesBed & { user: { uid: number; gid: number } | null };
  const api = (route: string, body: Record<string, unknown>) =>
    bed.panel.request('POST', route, { body: { account_id: 1, ...body }, as: 'user' });

  beforeAll(async () => {
    bed = await startModeBed(mode);
  });
  afterAll(async () => {
    await bed.stop();
  });

  it('compress writes mode 000 and times of 2040 and 1965 as GNU tar lists them; extract restores them', async () => {
    // The account user cannot read a mode-000 file (GNU tar run by it could not either): local mode only.
    const locked = mode === 'local';
    makeTree(path.join(bed.home(1), 'keep'), locked, bed.user);
    let res = await api('/api/files/compress', { paths: ['/keep'], destination: '/keep.tgz' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const listed = execFileSync('tar', ['--utc', '--full-time', '-tvzf', path.join(bed.home(1), 'keep.tgz')], {
      encoding: 'utf8',
    });
    expect(listed).toMatch(/^-rw-r----- \S+ +\d+ 2040-01-01 00:00:00 keep\/future\.txt$/m);
    expect(listed).toMatch(/^-rw------- \S+ +\d+ 1965-06-01 12:30:00 keep\/past\.txt$/m);
    expect(listed).toMatch(/^drwxr-xr-x \S+ +\d+ 1965-06-01 12:30:00 keep\/old\/?$/m);
    if (locked) expect(listed).toMatch(/^---------- \S+ +\d+ 2024-03-03 04:05:06 keep\/locked\.txt$/m);

    res = await api('/api/files/extract', { path: '/keep.tgz', destination: '/out' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const out = path.join(bed.home(1), 'out/keep');
    expect(stated(path.join(out, 'future.txt'))).toEqual({ mode: 0o640, mtime: Y2040 });
    expect(stated(path.join(out, 'past.txt'))).toEqual({ mode: 0o600, mtime: Y1965 });
    expect(stated(path.join(out, 'old/inside.txt'))).toEqual({ mode: 0o644, mtime: RECENT });
    expect(stated(path.join(out, 'old'))).toEqual({ mode: 0o755, mtime: Y1965 });
    if (locked) expect(stated(path.join(out, 'locked.txt'))).toEqual({ mode: 0, mtime: RECENT });
  });

  it('extract applies mode 000 and pax times from an archive GNU tar made', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'vp-gnu-tar-'));
    try {
      makeTree(path.join(work, 'gnu'), true);
      const archive = path.join(bed.home(1), 'gnu.tar.gz');
      execFileSync('tar', ['--format=posix', '-czf', archive, '-C', work, 'gnu']);
      if (bed.user) chownSync(archive, bed.user.uid, bed.user.gid);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    const res = await api('/api/files/extract', { path: '/gnu.tar.gz', destination: '/from-gnu' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const out = path.join(bed.home(1), 'from-gnu/gnu');
    expect(stated(path.join(out, 'future.txt'))).toEqual({ mode: 0o640, mtime: Y2040 });
    expect(stated(path.join(out, 'past.txt'))).toEqual({ mode: 0o600, mtime: Y1965 });
    expect(stated(path.join(out, 'locked.txt'))).toEqual({ mode: 0, mtime: RECENT });
    expect(stated(path.join(out, 'old')).mtime).toBe(Y1965);
  });

  it.each([
    ['1e99', /invalid pax mtime '1e99'/],
    ['99999999999999', /pax mtime out of range/],
  ])('refuses a member whose pax mtime is %s, writing nothing', async (mtime, message) => {
    writeFileSync(path.join(bed.home(1), 'odd.tar.gz'), await paxMtimeArchive(mtime));
    if (bed.user) chownSync(path.join(bed.home(1), 'odd.tar.gz'), bed.user.uid, bed.user.gid);
    const before = treeState(bed.home(1));
    const res = await api('/api/files/extract', { path: '/odd.tar.gz', destination: '/odd-out' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^archive: is damaged or unreadable/);
    expect(res.body.error).toMatch(message);
    expect(treeState(bed.home(1))).toEqual(before);
  });
});
