// A restore report's failed lines follow the one rule for errors: the account's user and its
// reseller read what failed — a panel error's message, or only "unexpected error" for anything
// else — and an admin also reads the server's own words as `error_detail`, in the answer and in
// the job. Two settings sections of a probe plugin fail on import: one with a plain Error naming
// a path, one with a panel error carrying a tool's stderr as admin detail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountSettingsSections, definePlugin, errors } from '../../../sdk/index.js';
import { createTestAccount, startTestPanel, type TestAccount, type TestPanel } from '../../../sdk/testing/index.js';

const PLAIN = "EACCES: permission denied, open '/srv/secret-probe/other-tenant.conf'";
const TOOL = "probe-tool: can't connect through socket '/run/secret-probe/probe.sock'";
const probe = definePlugin({
  manifest: { id: 'probe-settings', version: '1.0.0', sdk: '^1.0.0', provides: ['account-settings'] },
  start(ctx) {
    ctx.extensions.provide(accountSettingsSections, 'probe-plain', {
      export: async () => ({ on: true }),
      import: async () => {
        throw new Error(PLAIN);
      },
    });
    ctx.extensions.provide(accountSettingsSections, 'probe-panel', {
      export: async () => ({ on: true }),
      import: async () => {
        throw errors.externalCommand('probe-tool failed (exit 3)').withAdminDetail(TOOL);
      },
    });
  },
});

type Item = { item: string; status: string; error?: string; error_detail?: string };
const line = (items: Item[], name: string) => items.find((i) => i.item === name);

describe('the failed lines of a restore report', () => {
  let panel: TestPanel;
  let tess: TestAccount;
  let archive: string;
  const restore = (as: 'admin' | 'reseller' | TestAccount['user']) =>
    panel.request('POST', `/api/backups/accounts/${tess.id}/restore/${archive}`, { as });

  beforeAll(async () => {
    panel = await startTestPanel({
      plugins: ['accounts', 'domains', 'veloserve', 'backups', 'files'],
      inline: [probe],
    });
    tess = await createTestAccount(panel, 'tess');
    const backup = await panel.request('POST', `/api/backups/accounts/${tess.id}`, { as: tess.user, body: {} });
    expect(backup.status, JSON.stringify(backup.body)).toBe(200);
    archive = backup.body.data.filename;
  }, 60_000);
  afterAll(async () => {
    await panel?.stop();
  });

  it('tells the user and the reseller what failed, never the server detail, in the answer and the job', async () => {
    for (const as of [tess.user, 'reseller'] as const) {
      const res = await restore(as);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const job = (await panel.request('GET', `/api/jobs/${res.body.data.job_id}`, { as })).body.data;
      for (const report of [res.body.data, job.result]) {
        expect(line(report.items, 'settings:probe-plain')).toEqual({
          item: 'settings:probe-plain',
          status: 'failed',
          error: 'unexpected error; an administrator can see why',
        });
        expect(line(report.items, 'settings:probe-panel')).toEqual({
          item: 'settings:probe-panel',
          status: 'failed',
          error: 'probe-tool failed (exit 3)',
        });
      }
      for (const shown of [res.body, job]) expect(JSON.stringify(shown)).not.toContain('secret-probe');
      const listed = await panel.request('GET', '/api/jobs', { as });
      expect(JSON.stringify(listed.body)).not.toContain('secret-probe');

      // an admin reads the same job with each line's detail
      const seen = (await panel.request('GET', `/api/jobs/${job.id}`)).body.data.result.items;
      expect(line(seen, 'settings:probe-plain')).toMatchObject({ error_detail: PLAIN });
      expect(line(seen, 'settings:probe-panel')).toMatchObject({ error_detail: TOOL });
    }
  });

  it("answers an admin's restore with the detail of each failed line", async () => {
    const res = await restore('admin');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(line(res.body.data.items, 'settings:probe-plain')).toEqual({
      item: 'settings:probe-plain',
      status: 'failed',
      error: 'unexpected error; an administrator can see why',
      error_detail: PLAIN,
    });
    expect(line(res.body.data.items, 'settings:probe-panel')).toEqual({
      item: 'settings:probe-panel',
      status: 'failed',
      error: 'probe-tool failed (exit 3)',
      error_detail: TOOL,
    });
  });
});
