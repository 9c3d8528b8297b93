// A restore into an existing account reads its archive once: the home is staged and every
// checksum computed in the same pass, the staged home swapped in only after the archive verified.
// A restore the end of the archive refuses leaves the home, and nothing beside it or in the data
// dir (no staged tree, no dumps set aside).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestPanel, type TestPanel } from '../../../sdk/testing/index.js';
import { standIns, type StandInState } from '../../../test/backups/stand-ins.js';
import { fillHome, snapshot } from './tree.js';

/** Offset of the first data byte of the first non-empty regular file under home/ (ustar headers). */
function firstFileData(tar: Buffer): number {
  for (let at = 0; at + 512 <= tar.length; ) {
    const size = parseInt(
      tar
        .toString('latin1', at + 124, at + 136)
        .replace(/\0.*$/, '')
        .trim() || '0',
      8,
    );
    const type = tar.toString('latin1', at + 156, at + 157);
    if ((type === '0' || type === '\0') && size > 0 && tar.toString('latin1', at, at + 5) === 'home/') return at + 512;
    at += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error('no file data in the archive');
}

describe('one-pass restore', () => {
  let panel: TestPanel;
  let state: StandInState;
  let home: string;

  beforeAll(async () => {
    const s = standIns();
    state = s.state;
    panel = await startTestPanel({ plugins: ['backups'], inline: s.plugins });
    home = state.createAccount({ username: 'carol' }).home_dir;
    fillHome(home);
  });
  afterAll(async () => {
    await panel?.stop();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Archive opens of `filename` by the local target while `run` runs. */
  async function opensOf<T>(filename: string, run: () => Promise<T>): Promise<{ opens: number; result: T }> {
    const open = fs.promises.open;
    let opens = 0;
    vi.spyOn(fs.promises, 'open').mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
      if (String(p).endsWith(`/${filename}`)) opens++;
      return (open as (...a: unknown[]) => unknown)(p, ...rest);
    }) as typeof fs.promises.open);
    const result = await run();
    return { opens, result };
  }
  const leftovers = () => [
    ...fs.readdirSync(path.dirname(home)).filter((n) => n.startsWith('.vp-')),
    ...(fs.existsSync(path.join(panel.dataDir, 'backups-restore-spool'))
      ? fs.readdirSync(path.join(panel.dataDir, 'backups-restore-spool'))
      : []),
  ];

  it('reads the archive once and puts the verified home in place', async () => {
    const made = (await panel.request('POST', '/api/backups/accounts/1')).body.data.filename as string;
    const before = snapshot(home);
    fs.rmSync(path.join(home, fs.readdirSync(home).find((n) => fs.statSync(path.join(home, n)).isDirectory())!), {
      recursive: true,
    });
    fs.writeFileSync(path.join(home, 'added-since.txt'), 'gone after the restore');
    const { opens, result } = await opensOf(made, () =>
      panel.request('POST', `/api/backups/accounts/1/restore/${made}`),
    );
    expect(result.body.data?.status, JSON.stringify(result.body)).toBe('complete');
    expect(opens).toBe(1);
    expect(snapshot(home)).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  it('points absolute links into the home where the home is now (set once the manifest at the end is read)', async () => {
    const made = (await panel.request('POST', '/api/backups/accounts/1')).body.data.filename as string;
    const moved = path.join(path.dirname(home), 'moved', 'carol');
    fs.mkdirSync(moved, { recursive: true });
    state.accounts.get(1)!.home_dir = moved;
    try {
      const res = await panel.request('POST', `/api/backups/accounts/1/restore/${made}`);
      expect(res.body.data?.status, JSON.stringify(res.body)).toBe('complete');
      expect(fs.readlinkSync(path.join(moved, 'abs-link'))).toBe(path.join(moved, 'private/secret.txt'));
      expect(fs.readlinkSync(path.join(moved, 'home-link'))).toBe('public_html/index.html');
    } finally {
      state.accounts.get(1)!.home_dir = home;
      fs.rmSync(path.dirname(moved), { recursive: true, force: true });
    }
  });

  it('refuses an archive whose manifest does not match what the pass read, changing nothing and leaving nothing', async () => {
    const made = (await panel.request('POST', '/api/backups/accounts/1')).body.data.filename as string;
    const file = path.join(panel.dataDir, 'backups', made);
    // Same entries, one home byte changed, recompressed: only the manifest at the end can tell.
    const tar = zlib.gunzipSync(fs.readFileSync(file));
    const at = firstFileData(tar);
    tar.writeUInt8(tar.readUInt8(at) ^ 1, at);
    fs.writeFileSync(file, zlib.gzipSync(tar));
    fs.writeFileSync(path.join(home, 'kept.txt'), 'the home stays as it is');
    const before = snapshot(home);
    const res = await panel.request('POST', `/api/backups/accounts/1/restore/${made}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(
      'Restore refused: the SHA-256 of the home files does not match the manifest (the archive was altered or corrupted). Nothing was changed.',
    );
    expect(snapshot(home)).toEqual(before);
    expect(leftovers()).toEqual([]);
  });
});
