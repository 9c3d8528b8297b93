import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The environment `npm start` and the systemd unit give the panel (config/runtime.env), so a
 * benchmark measures the process as it runs in production.
 */
export function panelRuntimeEnv(root: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path.join(root, 'config/runtime.env'), 'utf8').split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}

/** A bench server process: the fields of the JSON line it printed once ready, and how to stop it. */
export type BenchServer<T> = T & { child: ChildProcess; stop(): Promise<void> };

/**
 * Start a bench server script (`node <args>`) with production's runtime env; resolves with the
 * JSON line it prints once it serves (at least `{url}`).
 */
export async function spawnBenchServer<T extends { url: string }>(
  root: string,
  args: string[],
): Promise<BenchServer<T>> {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...panelRuntimeEnv(root) },
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`bench server ${args.join(' ')} exited ${code}`)));
  });
  return {
    ...(JSON.parse(line) as T),
    child,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
