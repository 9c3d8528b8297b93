// Cancelling an account import: rows not started are never made, and the rows already in flight
// (up to 4) stop before their next step and are undone, so no account is made after the cancel
// that the admin would not know of (a cancelled job has no result listing them).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../../sdk/testing/index.js';
import { gate, until } from '../../../test/cluster/helpers.js';

/** Rows named `held…` wait at their create's before-hook until the test opens `go`; `arrived` counts them. */
const held = { arrived: 0, go: gate() };
const holder = definePlugin({
  manifest: { id: 'import-cancel-holder', version: '1.0.0', sdk: '^1.0.0', dependencies: ['accounts'] },
  start(ctx) {
    ctx.hooks.before('account.create', async ({ account }) => {
      if (!account.username.startsWith('held')) return;
      held.arrived++;
      await held.go.promise;
    });
  },
});

describe('a cancelled account import', () => {
  let panel: TestPanel;
  const homes = mkdtempSync(path.join(os.tmpdir(), 'vp-import-cancel-'));
  const rows = Array.from({ length: 7 }, (_, i) => ({
    username: `held${i}`,
    domain: `held${i}.cancel.test`,
    email: `held${i}@cancel.test`,
    password: `Import-Pass-${i}`,
  }));

  beforeAll(async () => {
    panel = await startTestPanel({
      plugins: ['accounts', 'domains', 'veloserve'],
      inline: [holder],
      config: { home_base: homes, jwt_secret: randomBytes(32).toString('hex') },
    });
  }, 60_000);
  afterAll(async () => {
    held.go.open();
    await panel?.stop();
    rmSync(homes, { recursive: true, force: true });
  });

  it('makes no row after the cancel: those in flight stop and are undone', async () => {
    const started = await panel.request('POST', '/api/accounts/import?async=true', { body: { accounts: rows } });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const job = started.body.data.id as string;
    // Four rows are in flight, past the import's check and their before-hooks' start; three wait.
    await until(async () => held.arrived === 4);
    const cancelled = await panel.request('POST', `/api/jobs/${job}/cancel`);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    held.go.open();
    await until(async () => (await panel.request('GET', `/api/jobs/${job}`)).body.data.state !== 'running');
    expect((await panel.request('GET', `/api/jobs/${job}`)).body.data.state).toBe('cancelled');
    expect(held.arrived).toBe(4);
    const made = await panel.kernel.knex('accounts_accounts').where('username', 'like', 'held%').select('username');
    expect(made).toEqual([]);
    for (const r of rows) expect(existsSync(path.join(homes, r.username))).toBe(false);
    const domains = await panel.request('GET', '/api/domains');
    expect(JSON.stringify(domains.body)).not.toContain('cancel.test');
    // The slot is free again: a next import is taken at once.
    const next = await panel.request('POST', '/api/accounts/import', {
      body: { accounts: [{ ...rows[0]!, username: 'after0', domain: 'after0.cancel.test' }] },
    });
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(next.body.data).toMatchObject({ status: 'ok', failed: [] });
  }, 60_000);
});
