// `npm start` as a new user runs it, on a fresh data dir with its own config file: the panel and
// the servers it manages, on free loopback ports.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../bed/proc.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export { freePort };

export interface PanelProcess {
  url: string;
  httpPort: number;
  /** The managed PowerDNS answers queries here. */
  dnsPort: number;
  dir: string;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function buildOnce(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--if-needed'], { cwd: ROOT, stdio: 'pipe' });
}

/** Starts package.json's own `npm start` command; resolves once the managed services are settled. */
export async function startPanel(localServices: Record<string, string | number> = {}): Promise<PanelProcess> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-quick-start-'));
  chmodSync(dir, 0o755); // as root, the managed PostgreSQL runs as `postgres` and must reach the data dir
  const [port, httpPort, httpsPort, dnsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const dataDir = path.join(dir, 'data');
  const extra = Object.entries(localServices)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join('\n');
  writeFileSync(
    path.join(dir, 'velopanel.toml'),
    `bind_address = "127.0.0.1"\nbind_port = ${port}\ndata_dir = "${dataDir}"\n` +
      `[plugins.local-services]\nlocal_http_port = ${httpPort}\nlocal_https_port = ${httpsPort}\nlocal_dns_port = ${dnsPort}\n${extra}\n`,
  );
  const command = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start as string;
  const child = spawn('sh', ['-c', command], {
    cwd: ROOT,
    env: { ...process.env, VELOPANEL_CONFIG: path.join(dir, 'velopanel.toml') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  for (let i = 0; i < 1200 && !/managed services:/.test(out) && child.exitCode === null; i++) await sleep(100);
  if (!/managed services:/.test(out))
    throw new Error(`the panel did not report its managed services: ${out.slice(-2000)}`);
  return {
    url: `http://127.0.0.1:${port}`,
    httpPort,
    dnsPort,
    dir,
    dataDir,
    child,
    output: () => out,
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

/** The quick-start script with only its PANEL= line changed; resolves with each JSON answer it printed. */
export function runQuickStart(url: string): unknown[] {
  const script = readFileSync(path.join(import.meta.dirname, 'quick-start.sh'), 'utf8').replace(
    /^PANEL=.*$/m,
    `PANEL="${url}"`,
  );
  const out = execFileSync('bash', ['-c', script], { encoding: 'utf8', timeout: 120_000 });
  return splitJson(out);
}

/** Consecutive JSON documents (curl prints them back to back) as values. */
export function splitJson(text: string): unknown[] {
  const docs: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') {
      if (depth++ === 0) start = i;
    } else if (ch === '}' && --depth === 0) docs.push(JSON.parse(text.slice(start, i + 1)));
  }
  return docs;
}
