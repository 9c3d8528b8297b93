// `velopanel serve` as the service runs it: JSON log lines on stdout (readable lines when asked),
// and a graceful stop on SIGTERM that waits for running jobs — bounded by shutdown_grace_ms.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { startBarePanel } from '../auth/helpers.js';
import { buildOnce } from '../cli/cli.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/velopanel.js');

// A third-party plugin whose job ends when a file appears (or never, for `stubborn`).
const PLUGIN = `export default {
  manifest: { id: 'slow-jobs', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    ctx.route({ method: 'POST', path: '/api/slow-jobs/:name', access: { roles: ['admin'] }, handler: (req) => ctx.jobs.start({ kind: 'slow.' + req.params.name }, async () => {
      const { existsSync } = await import('node:fs');
      for (let i = 0; i < 600; i++) {
        if (req.params.name !== 'stubborn' && existsSync(process.env.RELEASE_FILE)) return 'released';
        await new Promise((r) => setTimeout(r, 50));
      }
      return 'gave up';
    }) });
  },
};`;

interface Served {
  child: ChildProcess;
  url: Promise<string>;
  lines: () => string[];
  waitFor(re: RegExp): Promise<void>;
  exited: Promise<number | null>;
}

function serve(dir: string, toml: string): Served {
  writeFileSync(path.join(dir, 'velopanel.toml'), toml);
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      PATH: process.env.PATH,
      VELOPANEL_CONFIG: path.join(dir, 'velopanel.toml'),
      VELOPANEL_NO_BUILD: '1',
      RELEASE_FILE: path.join(dir, 'release'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const lines = () => out.split('\n').filter(Boolean);
  const waitFor = async (re: RegExp) => {
    for (let i = 0; i < 600 && !re.test(out); i++) await sleep(50);
    if (!re.test(out)) throw new Error(`no log line matching ${re} in:\n${out}`);
  };
  const url = waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/).then(
    () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!,
  );
  return { child, url, lines, waitFor, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
}

function config(dir: string, extra = ''): string {
  return `bind_address = "127.0.0.1"\nbind_port = 0\ndata_dir = "${dir}/data"\nplugins_dir = "${dir}/plugins"\ntest_mode = true\n${extra}`;
}

async function adminToken(url: string): Promise<string> {
  const post = (route: string) =>
    fetch(url + route, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'svcadmin', password: 'Service-Pass-1' }),
    });
  expect((await post('/api/auth/setup')).status).toBe(200);
  return ((await (await post('/api/auth/login')).json()) as any).data.token;
}

async function startJob(url: string, token: string, name: string): Promise<string> {
  const res = await fetch(`${url}/api/slow-jobs/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await res.json()) as any).data.id;
}

describe('velopanel serve as a service', () => {
  let dir: string;
  beforeAll(() => {
    buildOnce();
    dir = mkdtempSync(path.join(os.tmpdir(), 'vp-service-'));
    mkdirSync(path.join(dir, 'plugins', 'slow-jobs'), { recursive: true });
    writeFileSync(path.join(dir, 'plugins', 'slow-jobs', 'index.js'), PLUGIN);
    writeFileSync(path.join(dir, 'plugins', 'slow-jobs', 'package.json'), '{"type":"module"}');
  }, 300_000);

  it('logs JSON lines, and on SIGTERM waits for a running job to finish before it exits', async () => {
    const s = serve(dir, config(dir, 'log_format = "json"\nshutdown_grace_ms = 60000\n'));
    const url = await s.url;
    const id = await startJob(url, await adminToken(url), 'patient');
    s.child.kill('SIGTERM');
    await s.waitFor(/"msg":"shutting down"/);
    writeFileSync(path.join(dir, 'release'), '');
    expect(await s.exited).toBe(0);
    for (const line of s.lines()) expect(() => JSON.parse(line), line).not.toThrow();
    const records = s.lines().map((l) => JSON.parse(l));
    expect(records.find((r) => r.msg === 'shutting down')).toMatchObject({
      level: 'info',
      signal: 'SIGTERM',
      grace_ms: 60000,
    });
    expect(records.every((r) => typeof r.time === 'string' && typeof r.level === 'string')).toBe(true);
    const after = await startBarePanel({
      dataDir: path.join(dir, 'data'),
      config: { plugins_dir: path.join(dir, 'plugins') },
    });
    try {
      expect(await after.kernel.jobs.get(id)).toMatchObject({ state: 'succeeded', result: 'released' });
    } finally {
      await after.stop();
    }
  });

  it('stops within shutdown_grace_ms when a job does not finish; the job is reported interrupted', async () => {
    const s = serve(dir, config(dir, 'log_format = "json"\nshutdown_grace_ms = 300\n'));
    const url = await s.url;
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'svcadmin', password: 'Service-Pass-1' }),
    });
    const id = await startJob(url, ((await login.json()) as any).data.token, 'stubborn');
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    const after = await startBarePanel({ dataDir: path.join(dir, 'data') });
    try {
      expect(await after.kernel.jobs.get(id)).toMatchObject({
        state: 'failed',
        error: 'Interrupted by a panel restart',
      });
    } finally {
      await after.stop();
    }
  });

  it('writes one readable line per event with log_format = "pretty"', async () => {
    const s = serve(dir, config(dir, 'log_format = "pretty"\n'));
    await s.url;
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    const listening = s.lines().find((l) => l.includes('listening on'))!;
    expect(listening).toMatch(
      /^\d{2}:\d{2}:\d{2} INFO  VeloPanel \S+ listening on http:\/\/127\.0\.0\.1:\d+ bind=127\.0\.0\.1:\d+ mode=local data_dir=/,
    );
    expect(s.lines().some((l) => /^\d{2}:\d{2}:\d{2} INFO  shutting down signal=SIGINT/.test(l))).toBe(true);
  });
});
