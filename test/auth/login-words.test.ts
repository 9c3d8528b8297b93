// The kernel's messages about the logins a reseller owns use the words of the plugin that gives
// those logins a meaning (the accounts plugin says "accounts"); without one they say "users".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, loginSubjects } from '../../sdk/index.js';
import { startTestPanel, TEST_LOGINS, type TestPanel } from '../../sdk/testing/index.js';

const widgets = definePlugin({
  manifest: { id: 'widgets', version: '1.0.0', sdk: '^1.0.0', provides: ['login-subjects'] },
  start(ctx) {
    ctx.extensions.provide(loginSubjects, 'widget', { one: 'widget', many: 'widgets' });
  },
});
const proTool = definePlugin({
  manifest: { id: 'pro-tool', version: '1.0.0', sdk: '^1.0.0', tier: 'pro' },
  start(ctx) {
    ctx.route({ method: 'GET', path: '/api/pro-tool', access: {}, handler: () => 'pro' });
  },
});

describe('words for the logins a reseller owns', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel({ tier: 'pro', inline: [widgets, proTool] });
  });
  afterAll(async () => {
    await panel?.stop();
  });

  it('come from the plugin that names them', async () => {
    const early = await panel.request('POST', '/api/plugins/pro-tool/reseller/enable', { as: 'reseller' });
    expect(early.body.error).toBe("The administrator has not allowed plugin 'pro-tool' for your widgets");
    await panel.request('POST', '/api/plugins/pro-tool/resellers/2/allow');
    expect((await panel.request('GET', '/api/pro-tool', { as: 'user' })).body.error).toBe(
      "Plugin 'pro-tool' is not active: your reseller has not enabled it for its widgets",
    );
    const gone = await panel.request('DELETE', '/api/resellers/2');
    expect(gone.body.error).toBe(
      `Reseller '${TEST_LOGINS.reseller}' still owns 1 widget login; delete or move those widgets first`,
    );
  });

  it("name the subject's shape", async () => {
    await expect(
      panel.kernel.users!.create({
        username: 'odd-subject',
        password: 'OddSubject123',
        role: 'user',
        subject: 'no colon',
      }),
    ).rejects.toThrow('subject: must look like widget:<id>');
  });
});
