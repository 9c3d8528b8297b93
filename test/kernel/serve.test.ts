import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const main = path.join(root, 'dist/core/main.js');

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [main], { env: { ...process.env, VELOPANEL_CONFIG: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(p.output()).toMatch(/plugins loaded: .*system\(active\)/);
    const res = await fetch(`${url}/api/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ ok: false, error: expect.any(String), code: 'NOT_FOUND' });
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
