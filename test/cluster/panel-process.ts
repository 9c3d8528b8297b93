import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A panel node in a process of its own, started from a fixture script that prints `READY <port>`. */
export interface PanelProcess {
  url: string;
  child: ChildProcess;
  dataDir: string;
}

/** Start the fixture with its own data dir; `config` overrides go in as JSON (argv[2]). */
export async function startPanelProcess(
  fixture: string,
  name: string,
  config: Record<string, unknown>,
): Promise<PanelProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `vp-node-${name}-`));
  const full = {
    mode: 'local',
    bind_address: '127.0.0.1',
    bind_port: 0,
    data_dir: dataDir,
    test_mode: true,
    ...config,
  };
  const child = spawn(process.execPath, [fixture, JSON.stringify(full)], {
    env: { ...process.env, PANEL_NAME: name },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`panel ${name} exited ${code}: ${out}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, dataDir };
}

/** SIGTERM (unless it is gone already) and wait for the exit; then remove its data dir. */
export async function stopPanelProcess(p: PanelProcess | undefined): Promise<void> {
  if (!p) return;
  if (p.child.exitCode === null && p.child.signalCode === null) {
    const exited = new Promise((r) => p.child.once('exit', r));
    p.child.kill('SIGTERM');
    await exited;
  }
  rmSync(p.dataDir, { recursive: true, force: true });
}
