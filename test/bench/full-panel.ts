// The panel as `npm start` runs it in local mode — every plugin, and the servers it manages
// (nginx, php-fpm, PowerDNS, …) — for benchmarks that must see everything a request sets off (an
// account create also writes its PHP pool and DNS zone). Fresh data dir, first admin set up.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../bed/proc.js';
import { panelRuntimeEnv } from './runtime-env.js';

export interface FullPanel {
  url: string;
  token: string;
  child: ChildProcess;
  /** The panel's data dir (its managed servers live under `services/`). */
  dataDir: string;
  stop(): Promise<void>;
}

/** Start it (production runtime env, out of test mode, `flags` for node) with `accounts` allowed; resolves once its managed services are settled. */
export async function startFullPanel(root: string, flags: string[], accounts: number): Promise<FullPanel> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-bench-full-'));
  chmodSync(dir, 0o755); // as root, a managed server running as its own user must reach the data dir
  const [port, httpPort, httpsPort, dnsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const toml = path.join(dir, 'velopanel.toml');
  writeFileSync(
    toml,
    `bind_address = "127.0.0.1"\nbind_port = ${port}\ndata_dir = "${path.join(dir, 'data')}"\n` +
      `[plugins.accounts]\nmax_accounts_free = ${accounts}\n[plugins.domains]\nmax_domains_free = ${accounts}\n` +
      `[plugins.local-services]\nlocal_http_port = ${httpPort}\nlocal_https_port = ${httpsPort}\nlocal_dns_port = ${dnsPort}\n`,
  );
  const child = spawn(process.execPath, [...flags, path.join(root, 'dist/core/main.js')], {
    env: { ...process.env, ...panelRuntimeEnv(root), VELOPANEL_CONFIG: toml },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d) => {
    out += d;
    process.stderr.write(d);
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (/managed services:/.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`panel exited ${code}: ${out.slice(-2000)}`)));
    setTimeout(
      () => reject(new Error(`no "managed services:" line within 3 minutes: ${out.slice(-2000)}`)),
      180_000,
    ).unref();
  });
  const url = `http://127.0.0.1:${port}`;
  const post = async (route: string, body: unknown) => {
    const res = await fetch(url + route, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { data?: { token?: string } };
    if (res.status !== 200) throw new Error(`${route}: ${res.status} ${JSON.stringify(json)}`);
    return json.data!;
  };
  const admin = { username: 'benchadmin', password: 'Bench-Admin-Pass-1' };
  await post('/api/auth/setup', admin);
  const { token } = await post('/api/auth/login', admin);
  return {
    url,
    token: token!,
    child,
    dataDir: path.join(dir, 'data'),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
