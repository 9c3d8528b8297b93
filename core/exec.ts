import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { ExecOptions, ExecResult, ExecService } from '../sdk/exec.js';
import { errors } from './errors.js';

const SAFE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const MAX_OUTPUT = 8 * 1024 * 1024;

/** Replace every secret in a text with `***`. */
export function scrub(text: string, secrets: string[] = []): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out;
}

/**
 * Runs programs with an argument array — never through a shell — in a minimal environment,
 * with a timeout. Errors name the program and its stderr, with secrets scrubbed.
 */
export class SystemExec implements ExecService {
  async run(command: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    if (!Array.isArray(args) || args.some((a) => typeof a !== 'string' || a.includes('\0')))
      throw errors.internal(`exec ${command}: arguments must be strings without NUL`);
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const name = path.basename(command);
    return new Promise<ExecResult>((resolve, reject) => {
      const child = spawn(command, args, {
        shell: false,
        cwd: opts.cwd,
        uid: opts.uid,
        gid: opts.gid,
        env: { PATH: SAFE_PATH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', ...(opts.env ?? {}) },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.stdout.on('data', (d: Buffer) => { if (stdout.length < MAX_OUTPUT) stdout += d.toString('utf8'); });
      child.stderr.on('data', (d: Buffer) => { if (stderr.length < MAX_OUTPUT) stderr += d.toString('utf8'); });
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input ?? undefined);
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(errors.externalCommand(e.code === 'ENOENT' ? `${name}: command not found` : `${name}: ${scrub(e.message, opts.secrets)}`));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (killed) return reject(errors.timeout(`${name} timed out after ${timeoutMs} ms`));
        const result = { code: code ?? (signal ? 128 : 1), stdout: scrub(stdout, opts.secrets), stderr: scrub(stderr, opts.secrets) };
        if (result.code !== 0 && !opts.allowFailure) {
          const detail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join(' ').slice(0, 800);
          return reject(errors.externalCommand(`${name} failed (exit ${result.code})${detail ? ': ' + detail : ''}`));
        }
        resolve(result);
      });
    });
  }

  async which(command: string): Promise<string | null> {
    const candidates = command.includes('/') ? [command] : SAFE_PATH.split(':').map((d) => path.join(d, command));
    for (const c of candidates) {
      try {
        await access(c, constants.X_OK);
        return c;
      } catch {
        /* next */
      }
    }
    return null;
  }
}
