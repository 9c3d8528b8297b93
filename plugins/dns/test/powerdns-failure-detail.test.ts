// A failure inside PowerDNS reaches the tenant who made the DNS change only as its HTTP status:
// PowerDNS's own words for a 5xx describe its backend (the sqlite file, the SQL), so admins alone
// read them. A refusal of the change itself (422) keeps PowerDNS's reason, which is about the
// tenant's records. A scratch PowerDNS whose sqlite database lost its records table answers a real
// 5xx; it says only "Internal Server Error", so a loopback server also stands in for an API that
// says more (another version, a proxy in front).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PanelError } from '../../../sdk/index.js';
import { PowerDnsEngine } from '../engines/powerdns.js';
import { pdnsRequest } from '../../../test/bed/helpers/pdns.js';
import { startPdns } from '../../../test/bed/services/pdns.js';

const BACKEND_WORDS =
  "GSQLBackend unable to lookup 'a.shop.test|ANY': Unable to open database '/var/lib/powerdns/pdns.sqlite3': attempt to write a readonly database";
const RECORD_WORDS = "RRset a.shop.test. IN A: Record a.shop.test./A '1.2.3': Parsing record content failed";

/** What the stand-in answers next: a status and the `error` of its JSON body. */
let answer = { status: 500, error: BACKEND_WORDS };

describe('PowerDNS failures told to a tenant', () => {
  let server: http.Server;
  let engine: PowerDnsEngine;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: answer.error }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    engine = new PowerDnsEngine({
      apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      apiKey: 'k',
      serverId: 'localhost',
      timeoutMs: 5_000,
      busyRetriesMs: [],
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const change = () =>
    engine.replaceRRsets('shop.test', [{ name: 'a.shop.test', type: 'A', ttl: 60, records: ['192.0.2.1'] }]).then(
      () => {
        throw new Error('the change was not refused');
      },
      (e: PanelError) => e,
    );

  it("answers a 5xx with its status only, PowerDNS's words as admin detail", async () => {
    for (const status of [500, 503]) {
      answer = { status, error: BACKEND_WORDS };
      const e = await change();
      expect(e).toMatchObject({ code: 'EXTERNAL_COMMAND', status: 502 });
      expect(e.messageFor({ role: 'user' })).toBe(`PowerDNS answered HTTP ${status}`);
      expect(e.messageFor({ role: 'reseller' })).not.toContain('sqlite');
      expect(e.messageFor({ role: 'admin' })).toBe(`PowerDNS answered HTTP ${status}: ${BACKEND_WORDS}`);
    }
  });

  it('keeps words of an unexpected 4xx for admins too', async () => {
    answer = { status: 405, error: BACKEND_WORDS };
    const e = await change();
    expect(e.messageFor({ role: 'user' })).toBe('PowerDNS answered HTTP 405');
    expect(e.adminDetail).toBe(BACKEND_WORDS);
  });

  it("tells the tenant PowerDNS's reason for refusing the change itself", async () => {
    answer = { status: 422, error: RECORD_WORDS };
    const e = await change();
    expect(e).toMatchObject({ code: 'VALIDATION', status: 400 });
    expect(e.messageFor({ role: 'user' })).toBe(`PowerDNS refused the change: ${RECORD_WORDS}`);
  });
});

describe('a real PowerDNS failing inside (its sqlite database broken)', () => {
  let pdns: Awaited<ReturnType<typeof startPdns>>;

  beforeAll(async () => {
    pdns = await startPdns(); // a scratch instance: the bed's shared one stays whole
    await pdnsRequest(pdns.info, 'POST', '/zones', {
      name: 'shop.test.',
      kind: 'Native',
      nameservers: ['ns1.shop.test.'],
    });
    const db = new Database(path.join(pdns.info.dataDir, 'pdns.db'));
    db.exec('DROP TABLE records');
    db.close();
  }, 60_000);
  afterAll(async () => {
    await pdns?.stop();
  });

  it('answers the tenant with its status only', async () => {
    const engine = new PowerDnsEngine({
      apiUrl: pdns.info.apiUrl,
      apiKey: pdns.info.apiKey,
      serverId: 'localhost',
      timeoutMs: 10_000,
      busyRetriesMs: [],
    });
    const e = await engine
      .replaceRRsets('shop.test', [{ name: 'a.shop.test', type: 'A', ttl: 60, records: ['192.0.2.1'] }])
      .then(
        () => null,
        (x: PanelError) => x,
      );
    expect(e).toMatchObject({ code: 'EXTERNAL_COMMAND' });
    expect(e!.messageFor({ role: 'user' })).toBe('PowerDNS answered HTTP 500');
    expect(e!.adminDetail).toBeTruthy();
  });
});
