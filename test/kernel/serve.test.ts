import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Start the panel with package.json's own `npm start` command (it execs node, so the pid is the panel's). */
function start(env: Record<string, string>) {
  const command = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start as string;
  const child = spawn('sh', ['-c', command], {
    cwd: root,
    env: { ...process.env, VELOPANEL_CONFIG: path.join(root, 'test/fixtures/no-managed-services.toml'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, output: () => out };
}

describe('the built panel (npm start)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-needed'], { cwd: root, stdio: 'pipe' });
  }, 300_000);

  it('serves on the configured port, prints its URL and plugins, answers 404 with the envelope and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vp-serve-'));
    const p = start({ VELOPANEL_HOST: '127.0.0.1', VELOPANEL_PORT: '0', VELOPANEL_DATA_DIR: dataDir });
    for (let i = 0; i < 600 && !/plugins loaded/.test(p.output()); i++) await new Promise((r) => setTimeout(r, 100));
    const url = /listening on (http:\/\/[\d.:]+)/.exec(p.output())?.[1];
    // It runs with the memory settings of config/runtime.env, as the systemd unit runs it.
    const environ = readFileSync(`/proc/${p.child.pid}/environ`, 'utf8').split('\0');
    expect(environ).toEqual(expect.arrayContaining(['MALLOC_ARENA_MAX=2', 'NODE_OPTIONS=--max-semi-space-size=4']));
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The build joins modules per entry point (scripts/pack.mjs): every first-party plugin must still load.
    const loaded = /plugins loaded: (.*)/.exec(p.output())?.[1] ?? '';
    for (const id of readdirSync(path.join(root, 'plugins')).filter((d) =>
      existsSync(path.join(root, 'plugins', d, 'index.ts')),
    ))
      expect(loaded).toMatch(new RegExp(`\\b${id}\\((active|locked)\\)`));
    const res = await fetch(`${url}/api/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ ok: false, error: expect.any(String), code: 'NOT_FOUND' });
    // A first account and a file through the built plugins (local mode, the embedded defaults).
    const call = async (method: string, p: string, body?: unknown, token?: string) => {
      const r = await fetch(`${url}${p}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: r.status, body: await r.json() };
    };
    expect((await call('POST', '/api/auth/setup', { username: 'admin', password: 'serve-pass-1' })).status).toBe(200);
    const token = (await call('POST', '/api/auth/login', { username: 'admin', password: 'serve-pass-1' })).body.data
      .token;
    const account = await call(
      'POST',
      '/api/accounts',
      { username: 'alice', domain: 'alice.test', email: 'a@alice.test', password: 'alice-pass-1', plan: 'free' },
      token,
    );
    expect(account.body.data).toMatchObject({ username: 'alice', home_dir: path.join(dataDir, 'home', 'alice') });
    expect(
      (
        await call(
          'POST',
          '/api/files/write',
          { account_id: account.body.data.id, path: '/public_html/hello.txt', content: 'hi' },
          token,
        )
      ).status,
    ).toBe(200);
    const listed = await call(
      'GET',
      `/api/files/list?account_id=${account.body.data.id}&path=/public_html`,
      undefined,
      token,
    );
    expect(listed.body.data.entries.map((e: { name: string }) => e.name)).toContain('hello.txt');
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });

  it('refuses a bad config with one line naming the key', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-serve-'));
    writeFileSync(path.join(dir, 'bad.toml'), 'bind_port = 99999\n');
    const p = start({ VELOPANEL_CONFIG: path.join(dir, 'bad.toml'), VELOPANEL_DATA_DIR: dir });
    expect(await p.exited).toBe(2);
    expect(p.output().trim()).toBe('velopanel: config: bind_port: must be a port number 0–65535');
  });
});
