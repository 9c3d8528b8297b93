// Talking to the bed's PowerDNS from a test: its HTTP API and real DNS queries with dig.
//
//   const bed = useServices('pdns');
//   await pdnsRequest(bed.pdns, 'POST', '/zones', { name: 'example.test.', kind: 'Native', nameservers: [] });
//   expect(await dig(bed.pdns, 'www.example.test', 'A')).toEqual(['127.0.0.1']);
import type { PdnsInfo } from '../types.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { run } from '../proc.js';

/**
 * One call of the PowerDNS API below `/api/v1/servers/localhost`; throws on a non-2xx answer.
 * Test files share one PowerDNS, whose sqlite backend answers a bare 500 to a write while another
 * file's write holds the database: that call changed nothing and is repeated (bounded).
 */
export async function pdnsRequest(info: PdnsInfo, method: string, path: string, body?: unknown): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${info.apiUrl}/api/v1/servers/${info.serverId}${path}`, {
      method,
      headers: { 'X-API-Key': info.apiKey, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 500 && attempt < 8) {
      await sleep(50 * 2 ** attempt);
      continue;
    }
    if (!res.ok) throw new Error(`PowerDNS ${method} ${path}: HTTP ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
}

/** The answers PowerDNS gives over DNS (`dig +short`), sorted; [] for none. */
export async function dig(info: Pick<PdnsInfo, 'dnsPort'>, name: string, type: string): Promise<string[]> {
  const { stdout } = await run('dig', [
    '+short',
    '+tries=1',
    '+time=3',
    '@127.0.0.1',
    '-p',
    String(info.dnsPort),
    name,
    type,
  ]);
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();
}

/** Zone names PowerDNS holds (without the trailing dot). */
export async function pdnsZones(info: PdnsInfo): Promise<string[]> {
  return ((await pdnsRequest(info, 'GET', '/zones')) as Array<{ name: string }>)
    .map((z) => z.name.replace(/\.$/, ''))
    .sort();
}
