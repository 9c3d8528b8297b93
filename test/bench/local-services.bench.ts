// Cold start of `npm start` in local mode with every managed server (nginx, MariaDB, PostgreSQL:
// first start on a fresh data dir, so their data directories are created too, then a second start
// on the same data dir) against the panel alone — until the panel answers and every service is
// ready (the "managed services:" log line).
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { buildOnce, freePort, ROOT } from '../local-services/panel-process.js';
import { report } from './report.js';
import { panelRuntimeEnv } from './runtime-env.js';

const ROUNDS = 3;

/** Milliseconds from spawning node until the panel answers and `until` appeared in its log. */
async function coldStart(dir: string, managed: boolean): Promise<number> {
  const [port, httpPort] = [await freePort(), await freePort()];
  const toml = path.join(dir, 'velopanel.toml');
  writeFileSync(
    toml,
    `bind_address = "127.0.0.1"\nbind_port = ${port}\ndata_dir = "${path.join(dir, 'data')}"\n` +
      `[plugins.local-services]\nmanaged_services = ${managed}\nlocal_http_port = ${httpPort}\nlocal_https_port = ${await freePort()}\n`,
  );
  const until = managed ? /managed services:/ : /plugins loaded/;
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/core/main.js')], {
    env: { ...process.env, ...panelRuntimeEnv(ROOT), VELOPANEL_CONFIG: toml },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buf = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      buf += d;
      if (until.test(buf)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`panel exited ${code}: ${buf}`)));
  });
  const ms = Math.round(performance.now() - started);
  if (managed) expect(buf).not.toMatch(/managed services:.*(unavailable|restarting)/);
  expect((await fetch(`http://127.0.0.1:${port}/api/nope`)).status).toBe(404);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

it('cold start with every managed service against the panel alone', async () => {
  buildOnce();
  const alone: number[] = [];
  const first: number[] = [];
  const again: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'velopanel-cold-managed-'));
    chmodSync(dir, 0o755);
    alone.push(await coldStart(dir, false));
    rmSync(dir, { recursive: true, force: true });
    const dir2 = mkdtempSync(path.join(os.tmpdir(), 'velopanel-cold-managed-'));
    chmodSync(dir2, 0o755);
    first.push(await coldStart(dir2, true));
    again.push(await coldStart(dir2, true));
    rmSync(dir2, { recursive: true, force: true });
  }
  report('local-services', {
    panel_alone_ms: median(alone),
    managed_first_start_ms: median(first),
    managed_restart_ms: median(again),
    first_start_vs_alone: Math.round((median(first) / median(alone)) * 10) / 10,
    restart_vs_alone: Math.round((median(again) / median(alone)) * 10) / 10,
    rounds: { alone, first, again },
  });
});
