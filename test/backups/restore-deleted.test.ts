// Restoring the backup of a deleted account recreates it through the real accounts plugin's
// provisioner (same validation, limits and rollback as POST /api/accounts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

describe('restore of a deleted account with the real accounts plugin', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    panel = await startTestPanel({ plugins: ['accounts', 'domains', 'veloserve', 'backups', 'files'] });
  }, 120_000);
  afterAll(async () => {
    await panel?.stop();
  });

  it('recreates the account, its primary domain and its files', async () => {
    const created = await panel.request('POST', '/api/accounts', {
      body: {
        username: 'phoenix',
        domain: 'phoenix.test',
        email: 'p@phoenix.test',
        password: 'Phoenix123!',
        plan: 'free',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.data.id;
    const wrote = await panel.request('POST', '/api/files/write', {
      body: { account_id: id, path: '/public_html/index.html', content: '<h1>rise again</h1>' },
    });
    expect(wrote.status).toBe(200);
    const backup = await panel.request('POST', `/api/backups/accounts/${id}`);
    expect(backup.status, JSON.stringify(backup.body)).toBe(200);
    const filename = backup.body.data.filename;
    expect((await panel.request('DELETE', `/api/accounts/${id}`)).status).toBe(200);
    expect((await panel.request('GET', `/api/accounts/${id}`)).status).toBe(404);

    const restored = await panel.request('POST', `/api/backups/accounts/${id}/restore/${filename}`);
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    const list = (await panel.request('GET', '/api/accounts')).body.data;
    const again = list.find((a: { username: string }) => a.username === 'phoenix');
    expect(again).toMatchObject({
      primary_domain: 'phoenix.test',
      email: 'p@phoenix.test',
      plan: 'free',
      status: 'active',
    });
    const read = await panel.request('GET', `/api/files/read?account_id=${again.id}&path=/public_html/index.html`);
    expect(read.body.data.content).toBe('<h1>rise again</h1>');
  });
});
