// Kills during a restore and a backup (local mode, the real accounts/domains/backups plugins):
// whatever step the panel dies at, after the restart the account has one whole home — the
// verified restored copy once its swap was recorded, the untouched home before — never an empty
// skeleton; no staging folder, old home, `.part-*` file or unverified archive is left beside
// them, and `GET /api/backups/recovery` says what start-up settled.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { accountBody, waitReconciled } from '../webserver/helpers.js';
import { crashBed } from './bed.js';
import { childReconciled, killAt } from './kill-panel.js';

describe('a kill during a restore or a backup', () => {
  const bed = crashBed();
  const { options, restart, recovered } = bed;
  let filename: string;
  const index = () => path.join(bed.homes, 'rest', 'public_html', 'index.html');
  const leftovers = () => readdirSync(bed.homes).filter((n) => n.startsWith('.'));
  const journal = () =>
    existsSync(path.join(bed.dataDir, 'backups-journal')) ? readdirSync(path.join(bed.dataDir, 'backups-journal')) : [];

  beforeAll(async () => {
    const first = await restart();
    expect(
      (
        await first.panel.request('POST', '/api/accounts', {
          body: accountBody({ username: 'rest', domain: 'rest.test' }),
        })
      ).status,
    ).toBe(200);
    writeFileSync(index(), 'backed up');
    writeFileSync(path.join(bed.homes, 'rest', 'big.bin'), Buffer.alloc(3 * 1024 * 1024, 7));
    filename = (await first.panel.request('POST', '/api/backups/accounts/1')).body.data.filename;
    expect(filename).toMatch(/^rest-/);
    await first.stop();
  });

  it.each([['backups.restore.swap-recorded'], ['backups.restore.home-aside'], ['backups.restore.home-swapped']])(
    'killed at %s: the verified restored home is in place, nothing is left beside it',
    async (point) => {
      writeFileSync(index(), 'changed since');
      await killAt(point, options(), async (child) => {
        await childReconciled(child);
        expect(await child.request('POST', `/api/backups/accounts/1/restore/${filename}`)).toBeNull();
      });
      const after = await restart();
      try {
        const { accounts, notes } = await recovered(after.panel);
        expect(readFileSync(index(), 'utf8')).toBe('backed up');
        expect(readFileSync(path.join(bed.homes, 'rest', 'big.bin')).length).toBe(3 * 1024 * 1024);
        expect(accounts.recreated_homes).toEqual([]);
        expect(leftovers()).toEqual([]);
        expect(journal()).toEqual([]);
        expect(notes.join('\n')).toMatch(/rest: a restore was interrupted while swapping in its home/);
      } finally {
        await after.stop();
      }
    },
  );

  it('killed between the renames, restarted without the backups plugin: the home is reported missing, not made again empty', async () => {
    writeFileSync(index(), 'changed since');
    await killAt('backups.restore.home-aside', options(), async (child) => {
      await childReconciled(child);
      expect(await child.request('POST', `/api/backups/accounts/1/restore/${filename}`)).toBeNull();
    });
    const without = await restart({ backups: false });
    try {
      const { accounts } = await waitReconciled(without.panel);
      expect(existsSync(path.join(bed.homes, 'rest'))).toBe(false);
      expect(accounts).toMatchObject({ recreated_homes: [], missing_homes: ['rest'] });
      expect(accounts.notes.join('\n')).toMatch(
        /rest: home .* is missing but .*\.vp-old-rest-.*\.vp-restore-rest-.* beside it hold a copy of it/,
      );
    } finally {
      await without.stop();
    }
    const after = await restart();
    try {
      await recovered(after.panel);
      expect(readFileSync(index(), 'utf8')).toBe('backed up');
      expect(leftovers()).toEqual([]);
    } finally {
      await after.stop();
    }
  });

  it('killed with the files staged but the swap not recorded: the home is untouched and the staging folder is removed', async () => {
    writeFileSync(index(), 'changed since');
    await killAt('backups.restore.staged', options(), async (child) => {
      await childReconciled(child);
      expect(await child.request('POST', `/api/backups/accounts/1/restore/${filename}`)).toBeNull();
    });
    expect(leftovers()).toEqual([expect.stringMatching(/^\.vp-restore-rest-/)]);
    const staged = leftovers()[0]!;
    const after = await restart();
    try {
      const { notes } = await recovered(after.panel);
      expect(readFileSync(index(), 'utf8')).toBe('changed since');
      expect(leftovers()).toEqual([]);
      expect(notes).toContain(
        `removed ${path.join(bed.homes, staged)}: the staging directory of a restore interrupted before its files were in place`,
      );
    } finally {
      await after.stop();
    }
  });

  it('keeps an old home renamed aside that no journal explains beside a home (it may hold the real files), and says so', async () => {
    const aside = path.join(bed.homes, '.vp-old-rest-legacy1');
    mkdirSync(aside);
    writeFileSync(path.join(aside, 'real.txt'), 'maybe the real files');
    const after = await restart();
    try {
      const { notes } = await recovered(after.panel);
      expect(notes).toEqual([
        `kept ${aside}: a previous home of rest an interrupted restore renamed aside; check it against ${path.join(bed.homes, 'rest')} and remove it by hand`,
      ]);
      expect(readFileSync(path.join(aside, 'real.txt'), 'utf8')).toBe('maybe the real files');
    } finally {
      await after.stop();
      rmSync(aside, { recursive: true });
    }
  });

  it.each([
    [
      'backups.local.part-written',
      /^removed .*\/\.rest-\d{8}-\d{6}\.tar\.gz\.part-[0-9a-f]{12}: part of a backup interrupted while it was written$/,
    ],
    [
      'backups.create.verifying',
      /^removed rest-\d{8}-\d{6}\.tar\.gz from 'local': its backup was interrupted before the archive was verified \(the job failed\)$/,
    ],
  ])('a backup killed at %s leaves no file and no archive listed beside its failed job', async (point, note) => {
    const backups = path.join(bed.dataDir, 'backups');
    const before = readdirSync(backups).sort();
    await killAt(point, options(), async (child) => {
      await childReconciled(child);
      expect(await child.request('POST', '/api/backups/accounts/1')).toBeNull();
    });
    expect(readdirSync(backups).length).toBe(before.length + 1);
    const after = await restart();
    try {
      const { notes } = await recovered(after.panel);
      expect(notes).toEqual([expect.stringMatching(note)]);
      expect(readdirSync(backups).sort()).toEqual(before);
      expect(
        (await after.panel.request('GET', '/api/backups/accounts/1')).body.data.map((b: any) => b.filename),
      ).toEqual([filename]);
      const jobs = (await after.panel.request('GET', '/api/jobs?kind=backup.create')).body.data;
      expect(jobs.find((j: any) => j.state !== 'succeeded')).toMatchObject({
        state: 'failed',
        error: 'Interrupted by a panel restart',
      });
      expect(journal()).toEqual([]);
    } finally {
      await after.stop();
    }
  });
});
