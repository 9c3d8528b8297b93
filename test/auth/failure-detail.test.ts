// Error messages to non-admins say what failed, never where on the server (issue 16, item 10):
// a plugin that failed to start with a socket path in its reason, and a backup whose target
// directory was replaced by a file, read "what failed" to a reseller and a user; an admin reads
// the same message with the server detail appended.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

const SOCKET = '/run/velopanel-test-secret/engine.sock';
const broken = definePlugin({
  manifest: { id: 'sock-tool', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    ctx.route({ method: 'GET', path: '/api/sock-tool', access: {}, handler: () => 'never' });
    throw new Error(`connect ENOENT ${SOCKET}`);
  },
});

describe('server detail in errors', () => {
  let panel: TestPanel;
  let targetDir: string;
  let accountId: number;
  const user = { as: { token: '' } };

  beforeAll(async () => {
    panel = await startTestPanel({
      plugins: ['accounts', 'domains', 'veloserve', 'backups', 'files'],
      inline: [broken],
    });
    const made = await panel.request('POST', '/api/accounts', {
      as: 'reseller',
      body: { username: 'dana', domain: 'dana.test', email: 'd@dana.test', password: 'Dana12345678!', plan: 'free' },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    accountId = made.body.data.id;
    user.as.token = (
      await panel.request('POST', '/api/auth/login', {
        as: 'anon',
        body: { username: 'dana', password: 'Dana12345678!' },
      })
    ).body.data.token;
    targetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-target-dir-'));
    const t = await panel.request('POST', '/api/backups/targets', {
      body: { id: 'gone', type: 'local', config: { path: targetDir } },
    });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    // the directory the target writes to is now a file: every write names that path
    fs.rmSync(targetDir, { recursive: true });
    fs.writeFileSync(targetDir, 'not a directory');
  }, 60_000);
  afterAll(async () => {
    await panel?.stop();
    fs.rmSync(targetDir, { force: true });
  });

  it('lists a failed plugin to non-admins without its reason, to admins with it', async () => {
    const reasonFor = async (as: 'admin' | 'reseller' | typeof user.as) =>
      (await panel.request('GET', '/api/plugins', { as })).body.data.find((p: { id: string }) => p.id === 'sock-tool')
        .reason as string;
    expect(await reasonFor('admin')).toContain(SOCKET);
    for (const as of ['reseller', user.as] as const) {
      const reason = await reasonFor(as);
      expect(reason).not.toContain('/run/');
      expect(reason).toBe('it failed to start; an administrator can see why');
    }
  });

  it("refuses a failed plugin's routes naming the plugin, not the socket", async () => {
    const asUser = await panel.request('GET', '/api/sock-tool', { as: user.as });
    expect(asUser.body.error).toBe(
      "Plugin 'sock-tool' is not active: it failed to start; an administrator can see why",
    );
    const asAdmin = await panel.request('GET', '/api/sock-tool');
    expect(asAdmin.body.error).toContain(SOCKET);
  });

  it('fails a backup to a broken target naming the target, not its directory', async () => {
    for (const as of ['reseller', user.as] as const) {
      const res = await panel.request('POST', `/api/backups/accounts/${accountId}`, { as, body: { target: 'gone' } });
      expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
      expect(res.body.error).toBe("Backup of dana to target 'gone' failed");
      expect(JSON.stringify(res.body)).not.toContain(targetDir);
    }
    const admin = await panel.request('POST', `/api/backups/accounts/${accountId}`, { body: { target: 'gone' } });
    expect(admin.body.error).toMatch(/^Backup of dana to target 'gone' failed: /);
    expect(admin.body.error).toContain('secret-target-dir');
  });
});
