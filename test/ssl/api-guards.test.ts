// The SSL API's guards, without a CA: hostile domain and webroot values, ownership, the missing
// acme_email, custom certificate checks, CSRF and audit of the GET renew route, and clean-up
// when an account goes. (Issuing for real is in acme.e2e.test.ts.)
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_LOGINS } from '../../sdk/testing/credentials.js';
import { freePort } from '../bed/proc.js';
import { fetchVhost } from '../bed/helpers/http.js';
import { accountBody, openTempDir, startHostingPanel, type HostingPanel } from '../webserver/helpers.js';
import { customCertificate } from './stack.js';

const tag = process.pid.toString(36);
const mine = `mine-${tag}.test`;
const theirs = `theirs-${tag}.test`;

describe('SSL API guards', () => {
  let h: HostingPanel;
  let httpsPort: number;
  let owner: any;
  const tmp = openTempDir('velopanel-ssl-guards-');
  const api = (method: string, p: string, body?: unknown, as: any = 'admin') =>
    h.panel.request(method, p, { body, as });
  const custom = (names: string[]) => customCertificate(tmp, names);

  beforeAll(async () => {
    httpsPort = await freePort();
    // No acme_email, and a directory nobody answers: nothing here may reach a CA.
    h = await startHostingPanel({
      engine: 'nginx',
      extra: ['ssl'],
      plugins: {
        nginx: { listen_ssl: `127.0.0.1:${httpsPort}` },
        ssl: { directory_url: 'https://127.0.0.1:9/dir', renew_time: '04:05' },
      },
    });
    owner = (await api('POST', '/api/accounts', accountBody({ domain: mine }))).body.data; // account 1: the test user's
    await api('POST', '/api/accounts', accountBody({ domain: theirs }));
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('refuses hostile domain values with a 400 naming the field', async () => {
    // `*.<domain>` asks for a wildcard (issue 18, tested in wildcard-dns01.test.ts); a star anywhere else is hostile.
    const bad: unknown[] = [
      `${mine}\nx`,
      '../../etc/passwd',
      `*.*.${mine}`,
      `a.*.${mine}`,
      `*${mine}`,
      `${'a'.repeat(64)}.test`,
      `${'abc.'.repeat(64)}test`,
      'bücher.test',
      `${mine};id`,
      `-${mine}`,
      `$(id).test`,
      '',
      7,
      null,
      ['a.test'],
      { a: 1 },
    ];
    for (const domain of bad) {
      const res = await api('POST', '/api/ssl/provision', { domain });
      expect(res.status, JSON.stringify(domain)).toBe(400);
      expect(res.body.error).toMatch(/^domain: /);
    }
    for (const p of [
      'a.test%0a',
      '..%2F..%2Fetc',
      '%2A.a.test',
      'b%C3%BCcher.test',
      `${'a'.repeat(250)}.test`,
      'a.test%00',
    ]) {
      for (const [m, route] of [
        ['GET', 'certificate'],
        ['GET', 'renew'],
        ['POST', 'renew'],
        ['DELETE', 'certificate'],
      ]) {
        const res = await api(m!, `/api/ssl/${route}/${p}`);
        expect(res.status, `${m} ${route}/${p}`).toBe(400);
        expect(res.body.error).toMatch(/^domain: /);
      }
    }
  });

  it('keeps the webroot inside the account home', async () => {
    for (const webroot of [
      '/etc',
      `${owner.home_dir}2/public_html`,
      `${owner.home_dir}/../x`,
      'public_html',
      `${owner.home_dir}/a b`,
      `${owner.home_dir}/x\n`,
    ]) {
      const res = await api('POST', '/api/ssl/provision', { domain: mine, webroot });
      expect(res.status, webroot).toBe(400);
      expect(res.body.error).toMatch(/^webroot: /);
    }
  });

  it('says clearly that acme_email is missing, before anything is written', async () => {
    const res = await api('POST', '/api/ssl/provision', { domain: mine });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/acme_email is not set/);
    expect(readdirSync(path.join(owner.home_dir, 'public_html'))).not.toContain('.well-known');
    expect((await api('GET', '/api/ssl/certificates')).body.data).toEqual([]);
  });

  it('answers 404 for a domain the panel does not host, and checks ownership', async () => {
    const res = await api('POST', '/api/ssl/provision', { domain: `nowhere-${tag}.test` });
    expect(res).toMatchObject({ status: 404, body: { error: `Domain nowhere-${tag}.test is not in the panel` } });
    expect((await api('GET', `/api/ssl/certificate/${theirs}`, undefined, 'user')).status).toBe(403);
    expect((await api('POST', '/api/ssl/provision', { domain: theirs }, 'user')).status).toBe(403);
    expect((await api('GET', `/api/ssl/renew/${mine}`, undefined, 'reseller')).status).toBe(403);
    expect((await api('GET', `/api/ssl/certificate/${mine}`, undefined, 'user')).body.error).toBe(
      `No certificate for ${mine}`,
    );
  });

  it('checks custom certificates: PEM, matching key, coverage', async () => {
    const good = await custom([mine]);
    const other = await custom([mine]);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...good, certificate: 'not a pem' }, /^certificate: is not a valid PEM/],
      [{ ...good, private_key: other.private_key }, /^private_key: does not match/],
      [{ ...good, private_key: 'garbage' }, /^private_key: is not a valid PEM private key/],
      [{ ...(await custom([theirs])) }, new RegExp(`^certificate: does not cover ${mine}`)],
      [{ ...good, chain: other.chain }, /^chain: /],
    ];
    for (const [body, message] of cases) {
      const res = await api('POST', '/api/ssl/upload', { domain: mine, ...body });
      expect(res.status, String(message)).toBe(400);
      expect(res.body.error).toMatch(message);
    }
    expect((await api('GET', '/api/ssl/certificates')).body.data).toEqual([]);
  });

  it('installs a custom certificate for the owner, serves it, lists it for the owner only, and removes it', async () => {
    const res = await api('POST', '/api/ssl/upload', { domain: mine, ...(await custom([mine])) }, 'user');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const served = await fetchVhost({ port: httpsPort, host: mine, https: true });
    expect(served.certificate?.serialNumber.toUpperCase()).toBe(res.body.data.serial);
    expect((await api('GET', '/api/ssl/certificates', undefined, 'user')).body.data.map((c: any) => c.domain)).toEqual([
      mine,
    ]);
    expect((await api('GET', '/api/ssl/certificates', undefined, 'reseller')).body.data).toEqual([]);
    const metrics = await (await fetch(`${h.panel.url}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`velopanel_certificate_expiry_timestamp_seconds\\{[^}]*"${mine.replace(/\./g, '\\.')}"`),
    );
    const del = await api('DELETE', `/api/ssl/certificate/${mine}`, undefined, 'user');
    expect(del.body.data).toEqual({ domain: mine, removed: true });
    expect(existsSync(path.dirname(res.body.data.files.key))).toBe(false);
    await expect(fetchVhost({ port: httpsPort, host: mine, https: true })).rejects.toThrow();
  });

  it('treats GET renew as a change: CSRF-checked for cookie sessions and audited', async () => {
    const login = await fetch(`${h.panel.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: TEST_LOGINS.admin, password: TEST_LOGINS.password }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const cross = await fetch(`${h.panel.url}/api/ssl/renew/${mine}`, {
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(cross.status).toBe(403);
    expect((await cross.json()).error).toMatch(/CSRF/);
    const read = await fetch(`${h.panel.url}/api/ssl/certificates`, {
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(read.status).toBe(200);
    expect((await api('HEAD', `/api/ssl/renew/${mine}`)).status).toBe(405);
    await api('GET', `/api/ssl/renew/${mine}`);
    const entries = (await api('GET', '/api/audit')).body.data as any[];
    expect(
      entries.some((e) => e.method === 'GET' && e.route === '/api/ssl/renew/:domain' && e.target === `domain:${mine}`),
    ).toBe(true);
  });

  it('plans the daily renewal at the configured time on the kernel scheduler', () => {
    const planned = h.panel.kernel.scheduler.planned().find((p) => p.name === 'ssl:auto-renew');
    expect(planned?.next).toMatch(/T04:05:00\.000Z$/);
  });

  it('forgets the certificates of a deleted account', async () => {
    const up = await api('POST', '/api/ssl/upload', { domain: theirs, ...(await custom([theirs])) });
    expect(up.status).toBe(200);
    const id = up.body.data.account_id;
    expect((await api('DELETE', `/api/accounts/${id}`)).status).toBe(200);
    expect((await api('GET', '/api/ssl/certificates')).body.data).toEqual([]);
    expect(existsSync(path.join(h.panel.dataDir, 'ssl', theirs))).toBe(false);
  });
});
