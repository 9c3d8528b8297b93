// A home's modification times from before 1970 (a file and a folder from 1965) survive a backup
// and its restore through the API: written as negative pax mtimes, read back as such (the
// archive's parts still check against its manifest), and set again as they were — not as 1970,
// and not as "now" (what Node makes of a negative number of seconds).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAccount, startTestPanel, type TestAccount, type TestPanel } from '../../../sdk/testing/index.js';

const MAY_1965 = new Date(Date.UTC(1965, 4, 17, 8, 30, 0));

describe('modification times before 1970 through backup and restore', () => {
  let panel: TestPanel;
  let ada: TestAccount;
  let home: string;

  beforeAll(async () => {
    panel = await startTestPanel({ plugins: ['accounts', 'domains', 'veloserve', 'backups', 'files'] });
    ada = await createTestAccount(panel, 'ada');
    home = path.join(panel.dataDir, 'home', 'ada');
  }, 60_000);
  afterAll(async () => {
    await panel?.stop();
  });

  it('restores a 1965 file and folder with their 1965 times', async () => {
    const folder = path.join(home, 'letters');
    const file = path.join(folder, 'from-1965.txt');
    fs.mkdirSync(folder);
    fs.writeFileSync(file, 'Dear Ada,\n');
    fs.utimesSync(file, MAY_1965, MAY_1965);
    fs.utimesSync(folder, MAY_1965, MAY_1965);
    const made = await panel.request('POST', `/api/backups/accounts/${ada.id}`, { as: ada.user });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    // changed since the backup: the restore must bring the old times back
    fs.utimesSync(file, new Date(), new Date());
    fs.utimesSync(folder, new Date(), new Date());

    const restored = await panel.request('POST', `/api/backups/accounts/${ada.id}/restore/${made.body.data.filename}`, {
      as: ada.user,
    });
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body.data.items).toContainEqual(expect.objectContaining({ item: 'files', status: 'restored' }));
    for (const p of [file, folder]) expect(fs.lstatSync(p).mtime.toISOString()).toBe(MAY_1965.toISOString());
    expect(fs.readFileSync(file, 'utf8')).toBe('Dear Ada,\n');
  });
});
