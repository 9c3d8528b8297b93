import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExecOptions, ExecResult, ExecService, StreamExecOptions } from '../sdk/exec.js';
import { errors, isPanelError } from './errors.js';

const SAFE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const MAX_OUTPUT = 8 * 1024 * 1024;

interface Io {
  input?: string | Buffer;
  stdin?: Readable;
  stdout?: Writable;
}

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
  run(command: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const { input, ...rest } = opts;
    return this.spawnProgram(command, args, rest, { input });
  }

  stream(command: string, args: string[], opts: StreamExecOptions = {}): Promise<ExecResult> {
    const { stdin, stdout, ...rest } = opts;
    return this.spawnProgram(command, args, rest, { stdin, stdout });
  }

  private spawnProgram(command: string, args: string[], opts: Omit<ExecOptions, 'input'>, io: Io): Promise<ExecResult> {
    if (!Array.isArray(args) || args.some((a) => typeof a !== 'string' || a.includes('\0')))
      return Promise.reject(errors.internal(`exec ${command}: arguments must be strings without NUL`));
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
      const pipes: Promise<void>[] = [];
      if (io.stdout) pipes.push(pipeline(child.stdout, io.stdout));
      else
        child.stdout.on('data', (d: Buffer) => {
          if (stdout.length < MAX_OUTPUT) stdout += d.toString('utf8');
        });
      child.stderr.on('data', (d: Buffer) => {
        if (stderr.length < MAX_OUTPUT) stderr += d.toString('utf8');
      });
      child.stdin.on('error', () => undefined);
      // A failing source kills the program before its stdin closes, so a program that reads to the
      // end (psql --single-transaction) cannot take the early end for the end and commit.
      if (io.stdin) {
        io.stdin.once('error', () => child.kill('SIGKILL'));
        pipes.push(pipeline(io.stdin, child.stdin));
      } else child.stdin.end(io.input ?? undefined);
      // A broken stream must not leave the program running (or waiting on a pipe) forever.
      for (const p of pipes) p.catch(() => child.kill('SIGTERM'));
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          errors.externalCommand(
            e.code === 'ENOENT' ? `${name}: command not found` : `${name}: ${scrub(e.message, opts.secrets)}`,
          ),
        );
      });
      child.on('close', async (code, signal) => {
        clearTimeout(timer);
        const streamError = (await Promise.allSettled(pipes)).find((r) => r.status === 'rejected') as
          | PromiseRejectedResult
          | undefined;
        if (killed) return reject(errors.timeout(`${name} timed out after ${timeoutMs} ms`));
        // A stream that refused its content (a filter saying why) is the reason the program was
        // stopped, not the exit status the stop left.
        if (streamError && isPanelError(streamError.reason)) return reject(streamError.reason);
        const result = {
          code: code ?? (signal ? 128 : 1),
          stdout: scrub(stdout, opts.secrets),
          stderr: scrub(stderr, opts.secrets),
        };
        if (result.code !== 0 && !opts.allowFailure) {
          const detail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join(' ').slice(0, 800);
          return reject(errors.externalCommand(`${name} failed (exit ${result.code})${detail ? ': ' + detail : ''}`));
        }
        if (streamError)
          return reject(
            errors.externalCommand(
              `${name}: stream failed: ${scrub(String((streamError.reason as Error)?.message ?? streamError.reason), opts.secrets)}`,
            ),
          );
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
