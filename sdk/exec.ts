import { isPanelError } from '../core/errors.js';
import type { Readable, Writable } from 'node:stream';

/** Options for running an external program. */
export interface ExecOptions {
  /** Data written to the program's stdin (secrets go here, never in argv). */
  input?: string | Buffer;
  /** Extra environment (merged over a minimal safe environment). */
  env?: Record<string, string>;
  cwd?: string;
  /** Milliseconds before the program is killed (default 60 000). */
  timeoutMs?: number;
  uid?: number;
  gid?: number;
  /** Do not throw on a non-zero exit. */
  allowFailure?: boolean;
  /** Values to scrub from error messages and logs. */
  secrets?: string[];
}

/** Options for {@link ExecService.stream}: like {@link ExecOptions}, with streams instead of buffers. */
export interface StreamExecOptions extends Omit<ExecOptions, 'input'> {
  /** Piped to the program's stdin; stdin is closed at once when absent. */
  stdin?: Readable;
  /** Receives the program's stdout and is ended with it; stdout is collected when absent. */
  stdout?: Writable;
}

/** What a finished program produced. */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs programs with an argument array (never a shell). Put `--` before user-supplied operands.
 * A non-zero exit throws a 502 EXTERNAL_COMMAND error naming the program and its exit status
 * (`mariadb-dump failed (exit 2)`); what it printed is admin-only detail ({@link commandOutput}).
 */
export interface ExecService {
  run(command: string, args: string[], opts?: ExecOptions): Promise<ExecResult>;
  /**
   * Like {@link run}, streaming stdin and/or stdout with backpressure (dumps, restores, archives).
   * Resolves when the program exited and its output was fully written; a failing stream kills
   * the program. The result's `stdout` is empty when it was piped.
   *
   * @example
   * ```ts
   * await ctx.exec.stream('pg_dump', ['--no-owner'], { env: { PGPASSWORD: pw }, stdout: file, timeoutMs: 3_600_000 });
   * ```
   */
  stream(command: string, args: string[], opts?: StreamExecOptions): Promise<ExecResult>;
  /** Whether a program is on PATH (or the absolute path is executable). */
  which(command: string): Promise<string | null>;
}

/**
 * What a failed program printed — the last lines of its stderr (else stdout), secrets scrubbed —
 * when `e` is an error {@link ExecService} rejected with; '' otherwise. Match on this, not on the
 * message: tools name sockets, hosts and paths, so their words are admin detail and the message
 * says only which program failed and how.
 *
 * @example
 * ```ts
 * catch (e) { if (/already exists/.test(commandOutput(e))) return; throw e; }
 * ```
 */
export function commandOutput(e: unknown): string {
  return isPanelError(e) && e.code === 'EXTERNAL_COMMAND' ? (e.adminDetail ?? '') : '';
}
