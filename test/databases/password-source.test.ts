// The mysql and postgresql plugins refuse to start when their config names both password sources,
// naming their own config key (the check is the SDK's checkPasswordSource). Nothing connects to a
// server before the check, so no database service is needed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

describe('database engine plugins: one password source', () => {
  let panel: TestPanel;
  const both = { host: '127.0.0.1', password_file: '/nonexistent/admin.pass', password_env: 'VP_NOT_SET' };
  beforeAll(async () => {
    panel = await startTestPanel({
      plugins: ['mysql', 'postgresql'],
      config: { plugins: { mysql: both, postgresql: both } } as never,
    });
  });
  afterAll(async () => {
    await panel?.stop();
  });

  it('fails each plugin at start with a reason naming plugins.<id>', async () => {
    const listed = (await panel.request('GET', '/api/plugins')).body.data;
    for (const id of ['mysql', 'postgresql']) {
      expect(listed.find((p: { id: string }) => p.id === id)).toMatchObject({
        state: 'disabled',
        reason: `failed to start: plugins.${id}: set either password_file or password_env, not both`,
      });
    }
  });
});
