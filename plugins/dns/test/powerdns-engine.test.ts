// The PowerDNS engine against the bed's real PowerDNS: the dns-servers conformance suite, and the
// clear 503 when the API cannot be reached.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dnsServerSuite } from '../../../sdk/testing/index.js';
import { PowerDnsEngine } from '../engines/powerdns.js';
import { useServices } from '../../../test/bed/index.js';
import { dig, pdnsRequest } from '../../../test/bed/helpers/pdns.js';
import { freePort } from '../../../test/bed/proc.js';

const bed = useServices('pdns');

describe.skipIf(bed.skip)('PowerDNS engine', () => {
  dnsServerSuite.run('powerdns', () => ({
    engine: new PowerDnsEngine({
      apiUrl: bed.pdns.apiUrl,
      apiKey: bed.pdns.apiKey,
      serverId: 'localhost',
      timeoutMs: 5_000,
    }),
    resolve: (name, type) => dig(bed.pdns, name, type),
  }));

  it('answers 503 when PowerDNS is unreachable, its address as admin detail only, and never shows the key', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const engine = new PowerDnsEngine({
      apiUrl: url,
      apiKey: 'secret-key-123',
      serverId: 'localhost',
      timeoutMs: 2_000,
    });
    const s = await engine.status();
    expect(s.available).toBe(false);
    expect(s.reason).toMatch(/^PowerDNS API is unreachable: start pdns_server with api=yes/);
    expect(s.reason).not.toContain(url);
    expect(s.detail).toContain(`${url}: connect ECONNREFUSED`);
    expect(JSON.stringify(s)).not.toContain('secret-key-123');
    const e = await engine.listZones().catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'UNAVAILABLE', status: 503 });
  });

  it('names the packages to install when pdns_server is not there', async () => {
    const engine = new PowerDnsEngine({
      apiUrl: `http://127.0.0.1:${await freePort()}`,
      apiKey: 'k',
      serverId: 'localhost',
      timeoutMs: 2_000,
      binary: '/nonexistent/pdns_server',
    });
    expect((await engine.status()).reason).toMatch(
      /PowerDNS is not installed \(install the Debian packages pdns-server and pdns-backend-sqlite3/,
    );
  });

  it('says the key is missing when none is configured (the local-mode default)', async () => {
    const engine = new PowerDnsEngine({
      apiUrl: bed.pdns.apiUrl,
      apiKey: '',
      serverId: 'localhost',
      timeoutMs: 2_000,
      binary: '/nonexistent/pdns_server',
    });
    expect((await engine.status()).reason).toBe(
      'PowerDNS is not configured ([plugins.dns] powerdns_api_key is empty): PowerDNS is not installed ' +
        '(install the Debian packages pdns-server and pdns-backend-sqlite3, run pdns_server with api=yes and webserver=yes, and set [plugins.dns] powerdns_api_url and powerdns_api_key)',
    );
  });

  it('retries a write the sqlite backend failed because another writer held the database', async () => {
    const engine = new PowerDnsEngine({
      apiUrl: bed.pdns.apiUrl,
      apiKey: bed.pdns.apiKey,
      serverId: 'localhost',
      timeoutMs: 5_000,
      busyRetriesMs: [200, 400, 800, 1600, 3200],
    });
    const zone = `busy-${process.pid.toString(36)}.test`;
    await pdnsRequest(bed.pdns, 'POST', '/zones', { name: `${zone}.`, kind: 'Native', nameservers: [`ns1.${zone}.`] });
    const log = path.join(bed.pdns.dataDir, 'pdns.log');
    const failures = () => (readFileSync(log, 'utf8').match(/HTTP ISE/g) ?? []).length;
    const before = failures();
    const db = new Database(path.join(bed.pdns.dataDir, 'pdns.db'));
    db.exec('BEGIN IMMEDIATE'); // another writer holds the database
    const write = engine.replaceRRsets(zone, [{ name: `a.${zone}`, type: 'A', ttl: 60, records: ['192.0.2.44'] }]).then(
      () => 'applied',
      (e: Error) => e.message,
    );
    try {
      for (let i = 0; i < 300 && failures() === before; i++) await sleep(10);
      expect(failures()).toBeGreaterThan(before); // PowerDNS did refuse it once
    } finally {
      db.exec('COMMIT');
      db.close();
    }
    expect(await write).toBe('applied');
    expect(await dig(bed.pdns, `a.${zone}`, 'A')).toEqual(['192.0.2.44']);
  });

  it('answers 503 for a wrong API key', async () => {
    const engine = new PowerDnsEngine({
      apiUrl: bed.pdns.apiUrl,
      apiKey: 'wrong',
      serverId: 'localhost',
      timeoutMs: 2_000,
    });
    expect(await engine.listZones().catch((x: unknown) => x)).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('powerdns_api_key'),
    });
  });
});
