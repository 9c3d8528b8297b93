import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import type { PanelConfig } from '../../core/config/schema.js';
import { loadConfig } from '../../core/config/load.js';
import type { Kernel } from '../../core/kernel.js';
import { createPanel } from '../../core/panel.js';
import type { PluginDefinition } from '../../sdk/index.js';

/** A panel straight after install: no admin yet, no licence unless the test writes one. */
export interface BarePanel {
  url: string;
  kernel: Kernel;
  dataDir: string;
  call(
    method: string,
    route: string,
    opts?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; body: any }>;
  stop(): Promise<void>;
}

export async function startBarePanel(
  opts: { config?: Partial<PanelConfig>; inline?: PluginDefinition[]; dataDir?: string } = {},
): Promise<BarePanel> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'velopanel-auth-'));
  const config = loadConfig({
    env: {},
    overrides: {
      mode: 'local',
      bind_address: '127.0.0.1',
      bind_port: 0,
      data_dir: dataDir,
      test_mode: true,
      log_level: 'silent',
      database_url: '',
      ...(opts.config ?? {}),
    },
  });
  const kernel = createPanel(config, { onlyPlugins: [], inlinePlugins: opts.inline });
  const addr = await kernel.start();
  const url = `http://127.0.0.1:${addr.port}`;
  const call: BarePanel['call'] = async (method, route, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(url + route, {
      method,
      headers,
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, headers: res.headers, body };
  };
  return {
    url,
    kernel,
    dataDir,
    call,
    async stop() {
      await kernel.stop(1000);
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The panel's generated JWT secret (tests forge tokens with it). */
export function jwtSecretOf(dataDir: string): Uint8Array {
  return new TextEncoder().encode(readFileSync(path.join(dataDir, 'jwt_secret'), 'utf8').trim());
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Hostile variants of a genuine session token of user `sub`. */
export async function forgedTokens(genuine: string, secret: Uint8Array, sub = '1'): Promise<Record<string, string>> {
  const [header, payload, signature] = genuine.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const now = Math.floor(Date.now() / 1000);
  const sign = (c: Record<string, unknown>, key: Uint8Array) =>
    new SignJWT(c).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
  return {
    tampered: `${header}.${b64({ ...claims, sub: '2' })}.${signature}`,
    'alg:none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub })}.`,
    expired: await sign({ ...claims, iat: now - 90_000, exp: now - 3600 }, secret),
    'wrong key': await sign(claims, new TextEncoder().encode('x'.repeat(48))),
    'wrong issuer': await sign({ ...claims, iss: 'someone-else' }, secret),
    'wrong audience': await sign({ ...claims, aud: 'other-api' }, secret),
    'HS512 instead of HS256': await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).sign(secret),
    garbage: 'not.a.token',
  };
}
