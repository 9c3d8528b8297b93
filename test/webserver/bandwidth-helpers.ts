// Shared by the bandwidth tests: fetches through nginx that count every byte the client received,
// and the panel's view of an account's bandwidth (exact bytes from /metrics, MB from the API).
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { parseExposition } from '../metrics/scrape.js';
import type { HostingPanel } from './helpers.js';

export const MIB = 1024 * 1024;
export const mb = (bytes: number) => Math.round((bytes / MIB) * 100) / 100;

/** GET through nginx on a fresh connection: the status and every byte the client received (headers too). */
export function fetchCounted(
  port: number,
  host: string,
  urlPath: string,
): Promise<{ status: number; received: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1', () =>
      s.write(`GET ${urlPath} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    s.on('data', (d) => chunks.push(d))
      .on('error', reject)
      .on('end', () => {
        const all = Buffer.concat(chunks);
        resolve({
          status: Number(/^HTTP\/1\.1 (\d{3})/.exec(all.subarray(0, 20).toString('latin1'))?.[1] ?? 0),
          received: all.length,
        });
      });
  });
}

/**
 * Fetch until nginx answers `status` and return the bytes of that answer. A worker of the previous
 * configuration may take a first try and answer the default 404, which no account's log records.
 */
export async function fetchBytes(port: number, host: string, urlPath: string, status = 200): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const r = await fetchCounted(port, host, urlPath);
    if (r.status === status) return r.received;
    if (r.status !== 404) throw new Error(`${host}${urlPath} answered ${r.status}`);
    await sleep(20);
  }
  throw new Error(`${host}${urlPath} never answered ${status}`);
}

/** Exact bytes of an account this month, as /metrics says. */
export async function usage(
  h: HostingPanel,
  accountId: number,
  name = 'velopanel_account_bandwidth_bytes',
): Promise<number | undefined> {
  const samples = parseExposition((await h.panel.request('GET', '/metrics')).body as string);
  return [...samples].find(([k]) => k.startsWith(`${name}{account_id="${accountId}",`))?.[1];
}

/** `POST /api/bandwidth/collect` as the admin: the collection's report (the plugin's CollectReport). */
export const collect = async (h: HostingPanel) => {
  const res = await h.panel.request('POST', '/api/bandwidth/collect');
  expect(res.status).toBe(200);
  return res.body.data as { logs: number; bytes: number; accounts: number[]; notes: string[] };
};
export const account = async (h: HostingPanel, id: number) =>
  (await h.panel.request('GET', `/api/accounts/${id}`)).body.data;
