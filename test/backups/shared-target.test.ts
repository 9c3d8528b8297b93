// Two panels writing to one S3 bucket (s3rver), each with an account named alice: each panel's
// alice reaches only the archives her own panel made for her; a file the other panel put there is
// the admin's to see, and its restore is refused as signed with another key.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestSigner } from '../../plugins/backups/signing.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { standIns } from './stand-ins.js';
import { fillHome } from './tree.js';

const bed = useServices('s3');

describe.skipIf(bed.skip)('a backup target shared by two panels', () => {
  const panels: TestPanel[] = [];
  const files: string[] = [];
  const prefix = `shared-${randomBytes(4).toString('hex')}/`;
  const names = (res: { body: { data: { filename: string }[] } }) => res.body.data.map((b) => b.filename);

  beforeAll(async () => {
    process.env.VP_BT_S3 = bed.s3.secretAccessKey;
    for (let i = 0; i < 2; i++) {
      const s = standIns();
      const panel = await startTestPanel({
        plugins: ['backups', 'backup-s3'],
        inline: s.plugins,
        tier: 'pro',
        config: {
          plugins: {
            backups: {
              targets: [
                {
                  id: 'shared',
                  type: 's3',
                  endpoint: bed.s3.endpoint,
                  region: bed.s3.region,
                  bucket: bed.s3.bucket,
                  prefix,
                  access_key_id: bed.s3.accessKeyId,
                  secret_access_key_env: 'VP_BT_S3',
                  part_size_mb: 5,
                },
              ],
            },
          },
        },
      });
      panels.push(panel);
      fillHome(s.state.createAccount({ username: 'alice', reseller_id: 2 }).home_dir);
      const made = await panel.request('POST', '/api/backups/accounts/1', { body: { target: 'shared' } });
      expect(made.status, JSON.stringify(made.body)).toBe(200);
      files.push(made.body.data.filename);
    }
  }, 180_000);
  afterAll(async () => {
    for (const p of panels) await p.stop();
  });

  it("lists to each alice only her own panel's archive; the admin also sees the other, owner unknown", async () => {
    for (const [i, panel] of panels.entries()) {
      expect(names(await panel.request('GET', '/api/backups/accounts/1?target=shared', { as: 'user' }))).toEqual([
        files[i],
      ]);
      expect(names(await panel.request('GET', '/api/backups/accounts/1?target=shared', { as: 'reseller' }))).toEqual([
        files[i],
      ]);
      const admin = (await panel.request('GET', '/api/backups/accounts/1?target=shared')).body.data;
      expect(admin).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ filename: files[i], account_id: 1 }),
          expect.objectContaining({ filename: files[1 - i], account_id: null }),
        ]),
      );
    }
  });

  it("does not let one panel's alice delete or restore the other's archive", async () => {
    const [a] = panels;
    expect(
      (await a!.request('DELETE', `/api/backups/accounts/1/${files[1]}?target=shared`, { as: 'user' })).status,
    ).toBe(404);
    expect(
      (await a!.request('POST', `/api/backups/accounts/1/restore/${files[1]}?target=shared`, { as: 'user' })).status,
    ).toBe(404);
    expect(names(await panels[1]!.request('GET', '/api/backups/accounts/1?target=shared', { as: 'user' }))).toEqual([
      files[1],
    ]);
  });

  it("refuses the other panel's archive to the admin as signed with another key", async () => {
    const [a, b] = panels;
    const keyOf = (p: TestPanel) => new ManifestSigner(`${p.dataDir}/backups-secrets/manifest.key`).keyId();
    const res = await a!.request('POST', `/api/backups/accounts/1/restore/${files[1]}?target=shared`);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toContain(`signed with another key (key id ${keyOf(b!)}), not this panel's (${keyOf(a!)})`);
  });
});
