import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyRetention, deleteOlderThan } from './retention.js';
import { LocalTarget } from './targets/local.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-retention-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const now = new Date(Date.UTC(2026, 5, 30, 12, 0, 0));
const names = [
  'ann-20260630-110000.tar.gz',
  'ann-20260629-110000.tar.gz',
  'ann-20260601-110000.tar.gz',
  'ann-20260101-110000.tar.gz',
  'anna-20200101-000000.tar.gz',
  'notes.txt',
];

describe('retention', () => {
  it('keeps by count and age, never the newest, never another account or a non-backup', async () => {
    for (const n of names) writeFileSync(path.join(dir, n), 'x');
    const t = new LocalTarget('local', 'server', dir);
    const all = () => true;
    expect((await applyRetention(t, 'ann', 2, 0, all, now)).sort()).toEqual([
      'ann-20260101-110000.tar.gz',
      'ann-20260601-110000.tar.gz',
    ]);
    expect(await applyRetention(t, 'ann', 0, 0, all, now)).toEqual([]);
    expect(await applyRetention(t, 'ann', 0, 2, all, now)).toEqual([]);
    expect(await applyRetention(t, 'ann', 0, 0.001, all, now)).toEqual(['ann-20260629-110000.tar.gz']);
    expect((await t.list()).map((o) => o.name).sort()).toEqual([
      'ann-20260630-110000.tar.gz',
      'anna-20200101-000000.tar.gz',
      'notes.txt',
    ]);
  });

  it('counts and deletes only the backups the account made', async () => {
    const d = mkdtempSync(path.join(dir, 'own-'));
    for (const n of names.slice(0, 4)) writeFileSync(path.join(d, n), 'x');
    const t = new LocalTarget('local', 'server', d);
    const theirs = new Set(['ann-20260630-110000.tar.gz', 'ann-20260101-110000.tar.gz']);
    expect(await applyRetention(t, 'ann', 1, 0, (n) => !theirs.has(n), now)).toEqual(['ann-20260601-110000.tar.gz']);
    expect((await t.list()).map((o) => o.name).sort()).toEqual([
      'ann-20260101-110000.tar.gz',
      'ann-20260629-110000.tar.gz',
      'ann-20260630-110000.tar.gz',
    ]);
  });

  it('cleanup deletes by the time in the name, whichever account', async () => {
    const t = new LocalTarget('local', 'server', dir);
    expect(await deleteOlderThan(t, 30, now)).toEqual(['anna-20200101-000000.tar.gz']);
  });
});
