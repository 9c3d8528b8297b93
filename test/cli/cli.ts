// Running the real `velopanel` command (bin/velopanel.js → dist/cli) as a child process, with a
// private HOME so stored logins never touch the tester's own.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'velopanel.js');

/** Compile dist/ when the sources changed (as the launcher would on its first run). */
export function buildOnce(): void {
  spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--if-needed'], { cwd: ROOT, stdio: 'pipe' });
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('the build made no dist/cli/main.js');
}

/** What one run of the command printed and how it ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh HOME for one test file. */
export function tempHome(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'vp-cli-home-'));
}

/** Run `velopanel <args>` with only the environment given (plus PATH and a private HOME). */
export function velopanel(
  args: string[],
  opts: { home: string; env?: Record<string, string>; input?: string },
): Promise<CliRun> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: opts.home,
    XDG_CONFIG_HOME: path.join(opts.home, '.config'),
    VELOPANEL_NO_BUILD: '1',
    ...opts.env,
  };
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(opts.input ?? '');
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
