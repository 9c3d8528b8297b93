/**
 * Exit codes of `velopanel`, a contract for scripts (documented in the README and `--help`).
 * An answer of the panel maps to one of them by its error `code`.
 */
export const Exit = {
  OK: 0,
  /** The panel refused the values (400) or failed (5xx), or another error. */
  ERROR: 1,
  /** Bad command line or configuration. */
  USAGE: 2,
  /** Not logged in, token invalid or expired (401), or not allowed (403). */
  AUTH: 3,
  /** The resource (or the endpoint: plugin not loaded) does not exist (404). */
  NOT_FOUND: 4,
  /** It already exists, or a plugin vetoed the change (409). */
  CONFLICT: 5,
  /** The licence does not allow it: tier, feature or limit (403). */
  LICENSE: 6,
  /** The job ran and ended failed or cancelled. */
  JOB_FAILED: 7,
  /** The panel (or its database, offline) cannot be reached. */
  UNREACHABLE: 8,
  /** Interrupted (Ctrl-C). */
  INTERRUPTED: 130,
} as const;

/** The table shown by `velopanel --help`. */
export const EXIT_CODE_HELP = `Exit codes:
  0  success
  1  the panel refused the values (400) or failed (5xx); any other error
  2  usage: bad command line or configuration
  3  authentication: not logged in, bad or expired token (401), or not allowed (403)
  4  not found (404)
  5  conflict: already exists, or vetoed by a plugin (409)
  6  licence: the tier, a feature or a limit does not allow it
  7  the job ended failed or cancelled
  8  the panel or its database cannot be reached`;

/** An error the CLI reports with one line and a meaningful exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A bad command line; `hint` names the help to read. */
export function usageError(message: string, hint?: string): CliError {
  const see = hint === undefined ? '' : ` (see: ${['velopanel', hint, '--help'].filter(Boolean).join(' ')})`;
  return new CliError(message + see, Exit.USAGE, 'USAGE');
}

/** Exit code for an error envelope's `code` (HTTP status as a fallback). */
export function exitForApiError(code: string | undefined, status: number): number {
  switch (code) {
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
    case 'PLUGIN_DISABLED':
      return Exit.AUTH;
    case 'LICENSE_REQUIRED':
    case 'LIMIT_REACHED':
      return Exit.LICENSE;
    case 'NOT_FOUND':
    case 'METHOD_NOT_ALLOWED':
      return Exit.NOT_FOUND;
    case 'CONFLICT':
    case 'VETOED':
      return Exit.CONFLICT;
  }
  if (status === 401 || status === 403) return Exit.AUTH;
  if (status === 404) return Exit.NOT_FOUND;
  if (status === 409) return Exit.CONFLICT;
  return Exit.ERROR;
}
