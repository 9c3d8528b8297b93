// Requests the local-services tests make to a running panel and to the vhosts of its nginx.
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** GET with a Host header (fetch() does not send one of its own choosing). */
export function vhost(port: number, host: string, p = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: p, headers: { host } }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (d: string) => (body += d))
        .on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export async function adminToken(url: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'SecureAdmin123' }),
  });
  return ((await login.json()) as { data: { token: string } }).data.token;
}

export type ServiceState = {
  name: string;
  state: string;
  pid: number;
  port: number | null;
  socket: string | null;
  version: string;
  restarts: number;
  reason: string | null;
};

export async function services(url: string, token: string): Promise<ServiceState[]> {
  const res = await fetch(`${url}/api/system/services`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { data: { services: ServiceState[] } }).data.services;
}

/** Kills a managed server outright and waits (bounded: the supervisor's first retry comes after 1 s) until another runs. */
export async function killAndWaitForRestart(
  url: string,
  token: string,
  name: string,
): Promise<{ before: ServiceState; after: ServiceState }> {
  const find = async () => (await services(url, token)).find((x) => x.name === name)!;
  const before = await find();
  process.kill(before.pid, 'SIGKILL');
  for (let i = 0; i < 300; i++) {
    const now = await find();
    if (now.state === 'running' && now.pid !== before.pid) return { before, after: now };
    await sleep(100);
  }
  return { before, after: await find() };
}

/** A JSON API call as the admin; the whole answer envelope. */
export async function api(
  url: string,
  token: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}
