// When rndc cannot reach named, the BIND engine's status says what failed (the reason every DNS
// route's 503 gives) and keeps rndc's own words — the control address and port — as detail that
// only admins read: in the 503 and in GET /api/dns/status. A user and a reseller read the reason.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPanel, type TestPanel } from '../../../sdk/testing/index.js';
import { freePort } from '../../../test/bed/proc.js';

const REASON =
  'DNS is unavailable: BIND (named) is unreachable through rndc: install the Debian package bind9 and check [plugins.dns] bind_rndc_conf';

describe('BIND status when rndc cannot reach named', () => {
  let panel: TestPanel;
  let dir: string;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'velopanel-rndc-'));
    port = await freePort(); // nothing listens there: rndc says "connect failed: 127.0.0.1#<port>"
    const rndcConf = path.join(dir, 'rndc.conf');
    const key = `key "t" { algorithm hmac-sha256; secret "${randomBytes(32).toString('base64')}"; };`;
    writeFileSync(rndcConf, `${key}\noptions { default-key "t"; default-server 127.0.0.1; default-port ${port}; };\n`, {
      mode: 0o600,
    });
    panel = await startTestPanel({
      plugins: ['accounts', 'domains', 'veloserve', 'dns'],
      config: {
        plugins: {
          dns: { engine: 'bind', bind_zone_dir: path.join(dir, 'zones'), bind_rndc_conf: rndcConf },
        },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await panel?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a user and a reseller with the reason only', async () => {
    for (const as of ['user', 'reseller'] as const) {
      const res = await panel.request('GET', '/api/dns/zones', { as });
      expect(res.status, JSON.stringify(res.body)).toBe(503);
      expect(res.body.error).toBe(REASON);
      expect(JSON.stringify(res.body)).not.toContain(`#${port}`);
    }
  });

  it("gives an admin rndc's own words after the reason, and in the server status", async () => {
    const res = await panel.request('GET', '/api/dns/zones');
    expect(res.status).toBe(503);
    expect(res.body.error).toMatch(new RegExp(`^${escape(REASON)}: .*connect failed: 127\\.0\\.0\\.1#${port}`));
    const status = (await panel.request('GET', '/api/dns/status')).body.data;
    expect(status).toMatchObject({
      engine: 'bind',
      server: { available: false, reason: REASON.replace('DNS is unavailable: ', '') },
    });
    expect(status.server.detail).toContain(`connect failed: 127.0.0.1#${port}: connection refused`);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
