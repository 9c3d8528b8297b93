// Local mode has no system users, sshd or crontab: reads answer (empty), changes answer 503 after
// validation, and nothing is stored.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';

describe('access plugin in local mode', () => {
  let h: HostingPanel;
  let id: number;
  let pub: string;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'access-local-'));
  beforeAll(async () => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'k')]);
    pub = readFileSync(path.join(dir, 'k.pub'), 'utf8');
    h = await startHostingPanel({ engine: 'veloserve', extra: ['access'] });
    id = (await h.panel.request('POST', '/api/accounts', { body: accountBody() })).body.data.id;
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('validates, then answers 503 naming linux mode, and stores nothing', async () => {
    const bad = await h.panel.request('POST', `/api/accounts/${id}/ssh-keys`, {
      body: { public_key: `command="id" ${pub}` },
    });
    expect(bad.status).toBe(400);
    for (const [p, body] of [
      ['ssh-keys', { public_key: pub }],
      ['cron', { schedule: '@daily', command: 'true' }],
    ] as const) {
      const res = await h.panel.request('POST', `/api/accounts/${id}/${p}`, { body });
      expect(res.status).toBe(503);
      expect(res.body.error).toMatch(/need the panel in linux mode/);
    }
    expect((await h.panel.request('PUT', `/api/accounts/${id}/shell`, { body: { shell: 'nologin' } })).status).toBe(
      503,
    );
    expect((await h.panel.request('GET', `/api/accounts/${id}/ssh-keys`)).body.data).toMatchObject({
      keys: [],
      shell: 'full',
      source: 'plan',
    });
    expect((await h.panel.request('GET', `/api/accounts/${id}/cron`)).body.data).toMatchObject({
      jobs: [],
      max_jobs: 5,
    });
    expect((await h.panel.request('GET', '/api/accounts/999/cron')).status).toBe(404);
    const empty = await h.panel.request('PATCH', `/api/accounts/${id}/cron/1`, { body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatch(/at least one of schedule, command, enabled, email/);
  });

  it('lists its routes in the OpenAPI document', async () => {
    const doc = (await h.panel.request('GET', '/api/openapi.json')).body;
    const paths = Object.keys(doc.paths ?? doc.data?.paths ?? {});
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/accounts/{id}/ssh-keys',
        '/api/accounts/{id}/ssh-keys/{key_id}',
        '/api/accounts/{id}/shell',
        '/api/accounts/{id}/cron',
        '/api/accounts/{id}/cron/{job_id}',
      ]),
    );
  });
});
