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

/** What a finished program produced. */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs programs with an argument array (never a shell). Put `--` before user-supplied operands.
 * A non-zero exit throws a 502 EXTERNAL_COMMAND error naming the program and its stderr.
 */
export interface ExecService {
  run(command: string, args: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Whether a program is on PATH (or the absolute path is executable). */
  which(command: string): Promise<string | null>;
}
