// A restore whose archive cannot be read from its target — a disk error naming the target's
// directory, not a fault of the archive — is refused to the account's user and its reseller as
// unexpected, without the error's text (in the answer and in the job); an admin reads it. A fault
// of the archive itself keeps its reason for everyone (hostile.test.ts). So does a read failing in
// the middle of a file being restored with an error that has no code (a target's own words), even
// when those words sound like gzip's ("invalid", "unexpected end").
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupTargets, definePlugin, Type, type BackupTargetFactory } from '../../../sdk/index.js';
import { createTestAccount, startTestPanel, type TestAccount, type TestPanel } from '../../../sdk/testing/index.js';
import { LocalTarget } from '../targets/local.js';

const SECRET_DIR = '/srv/secret-flaky-disk/other-tenant';
const READ_ERROR = `EIO: i/o error, read '${SECRET_DIR}/archive.tar.gz'`;
const SAFE = 'Restore refused: unexpected error; an administrator can see why. Nothing was changed.';

const MID_FILE_ERROR = `read of ${SECRET_DIR}/archive.tar.gz broke off`;
// A remote target's own words that sound like gzip's: still not the archive's fault.
const GZIP_LIKE_ERROR = `invalid response, unexpected end of ${SECRET_DIR}/archive.tar.gz`;

/** A directory whose reads fail once `failing` is set (after `after` bytes), as a dying disk's do. */
const flaky = { failing: false, after: 0, error: (): Error => Object.assign(new Error(READ_ERROR), { code: 'EIO' }) };
const flakyFactory: BackupTargetFactory<{ path: string }> = {
  kind: 'flaky',
  name: 'Directory on a failing disk',
  configSchema: Type.Object({ path: Type.String() }),
  secretFields: [],
  create(s) {
    const local = new LocalTarget(s.id, s.scope, s.config.path);
    return Object.assign(Object.create(local) as LocalTarget, {
      kind: 'flaky',
      async get(name: string) {
        const stream = await local.get(name);
        if (!flaky.failing) return stream;
        let left = flaky.after;
        const dying = new Transform({
          transform(chunk: Buffer, _enc, done) {
            if (left <= 0) return done(flaky.error());
            left -= chunk.length;
            done(null, chunk.subarray(0, chunk.length + Math.min(left, 0)));
          },
        });
        return stream.pipe(dying);
      },
    });
  },
};
const flakyPlugin = definePlugin({
  manifest: { id: 'flaky-target', version: '1.0.0', sdk: '^1.0.0', provides: ['backup-targets'] },
  start(ctx) {
    ctx.extensions.provide(backupTargets, 'flaky', flakyFactory);
  },
});

describe('a restore whose archive cannot be read from its target', () => {
  let panel: TestPanel;
  let dir: string;
  let rita: TestAccount;
  let archive: string;
  const restore = (as: 'admin' | 'reseller' | TestAccount['user']) =>
    panel.request('POST', `/api/backups/accounts/${rita.id}/restore/${archive}?target=flaky`, { as });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'velopanel-flaky-'));
    panel = await startTestPanel({
      plugins: ['accounts', 'domains', 'veloserve', 'backups', 'files'],
      inline: [flakyPlugin],
      config: { plugins: { backups: { targets: [{ id: 'flaky', type: 'flaky', path: dir }] } } },
    });
    rita = await createTestAccount(panel, 'rita');
    // a file spanning several gzip members, for a read to break off in the middle of it
    fs.writeFileSync(path.join(panel.dataDir, 'home', 'rita', 'big.bin'), randomBytes(12 << 20));
    const made = await panel.request('POST', `/api/backups/accounts/${rita.id}`, {
      as: rita.user,
      body: { target: 'flaky' },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    archive = made.body.data.filename;
    flaky.failing = true;
  }, 60_000);
  afterAll(async () => {
    await panel?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses it to the user and the reseller as unexpected, never with the read error's text", async () => {
    for (const as of [rita.user, 'reseller'] as const) {
      const res = await restore(as);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error).toBe(SAFE);
      const jobs = await panel.request('GET', '/api/jobs', { as });
      const job = jobs.body.data.find((j: { kind: string }) => j.kind === 'backup.restore');
      expect(job).toMatchObject({ state: 'failed', error: SAFE });
      for (const shown of [res.body, jobs.body]) expect(JSON.stringify(shown)).not.toContain('secret-flaky');
    }
  });

  it('gives an admin the read error after the refusal, in the answer and the job', async () => {
    const res = await restore('admin');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(`${SAFE}: ${READ_ERROR}`);
    const job = (await panel.request('GET', '/api/jobs')).body.data.find(
      (j: { kind: string }) => j.kind === 'backup.restore',
    );
    expect(job).toMatchObject({ error: SAFE, error_detail: READ_ERROR });
  });

  it('tells only an admin the words of a read breaking off in the middle of a file, even gzip-like ones', async () => {
    for (const words of [MID_FILE_ERROR, GZIP_LIKE_ERROR]) {
      Object.assign(flaky, { after: 6 << 20, error: () => new Error(words) });
      for (const as of [rita.user, 'reseller'] as const) {
        const res = await restore(as);
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(res.body.error).toBe(SAFE);
        expect(JSON.stringify(res.body)).not.toContain('secret-flaky');
      }
      const res = await restore('admin');
      expect(res.body.error).toBe(`${SAFE}: ${words}`);
    }
  });
});
