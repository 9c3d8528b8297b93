/**
 * The one error catalogue. Every failure the panel reports is a {@link PanelError} built from an
 * entry here; `core/http/envelope.ts` is the one place that maps it to a status and envelope.
 */
export type ErrorCode =
  | 'VALIDATION'
  | 'UNAUTHENTICATED'
  | 'TOTP_REQUIRED'
  | 'FORBIDDEN'
  | 'LICENSE_REQUIRED'
  | 'LIMIT_REACHED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'VETOED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'PLUGIN_DISABLED'
  | 'UNAVAILABLE'
  | 'EXTERNAL_COMMAND'
  | 'TIMEOUT'
  | 'NO_SPACE'
  | 'INTERNAL';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  TOTP_REQUIRED: 401,
  FORBIDDEN: 403,
  LICENSE_REQUIRED: 403,
  LIMIT_REACHED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  VETOED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  PLUGIN_DISABLED: 403,
  UNAVAILABLE: 503,
  EXTERNAL_COMMAND: 502,
  TIMEOUT: 504,
  NO_SPACE: 507,
  INTERNAL: 500,
};

/**
 * An error that is safe to show to the API client: its message is written for a human and carries
 * no secret. Anything thrown that is not a PanelError becomes a generic 500.
 */
export class PanelError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra, client-safe detail (e.g. the list of failing fields). */
  readonly details?: unknown;
  /**
   * What only an admin is shown, after the message: server paths, sockets, a server's own words.
   * Tenants run code on the host, so the envelope gives everyone else just the message.
   */
  adminDetail?: string;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'PanelError';
    this.code = code;
    this.status = STATUS_BY_CODE[code];
    this.details = details;
  }

  /**
   * Attach detail for admins only (e.g. `connect ENOENT /run/mysqld/mysqld.sock`); the message
   * itself must say what failed without it.
   *
   * @example
   * ```ts
   * throw errors.unavailable('MariaDB (mysql) is unreachable').withAdminDetail(driverError.message);
   * ```
   */
  withAdminDetail(detail: string): this {
    if (detail) this.adminDetail = detail;
    return this;
  }

  /** The message as this viewer may read it: admins get the detail appended. */
  messageFor(viewer: { role: string } | null | undefined): string {
    return this.adminDetail && viewer?.role === 'admin' ? `${this.message}: ${this.adminDetail}` : this.message;
  }
}

/** Constructors for every catalogue entry, so call sites read as the failure they report. */
export const errors = {
  validation: (message: string, details?: unknown) => new PanelError('VALIDATION', message, details),
  unauthenticated: (message = 'Authentication required') => new PanelError('UNAUTHENTICATED', message),
  /** The password step of a login with two-factor login on: the answer carries the sealed challenge for `/api/auth/login/2fa`. */
  totpRequired: (step: { challenge: string; expires_at: string }) =>
    new PanelError(
      'TOTP_REQUIRED',
      'A two-factor code is required: send it with this challenge to /api/auth/login/2fa, or with the password as "code"',
      step,
    ),
  forbidden: (message = 'You do not have permission to do this') => new PanelError('FORBIDDEN', message),
  licenseRequired: (message: string) => new PanelError('LICENSE_REQUIRED', message),
  limitReached: (message: string) => new PanelError('LIMIT_REACHED', message),
  notFound: (message = 'Not found') => new PanelError('NOT_FOUND', message),
  methodNotAllowed: (message = 'Method not allowed') => new PanelError('METHOD_NOT_ALLOWED', message),
  conflict: (message: string) => new PanelError('CONFLICT', message),
  vetoed: (pluginId: string, reason: string) =>
    new PanelError('VETOED', `Refused by plugin '${pluginId}': ${reason}`, { plugin: pluginId }),
  payloadTooLarge: (limit: number) =>
    new PanelError('PAYLOAD_TOO_LARGE', `Request body exceeds the limit of ${limit} bytes`),
  unsupportedMediaType: (message = 'Request body must be JSON (Content-Type: application/json)') =>
    new PanelError('UNSUPPORTED_MEDIA_TYPE', message),
  rateLimited: (message: string) => new PanelError('RATE_LIMITED', message),
  pluginDisabled: (pluginId: string, reason: string) =>
    new PanelError('PLUGIN_DISABLED', `Plugin '${pluginId}' is not active: ${reason}`),
  unavailable: (message: string) => new PanelError('UNAVAILABLE', message),
  externalCommand: (message: string) => new PanelError('EXTERNAL_COMMAND', message),
  timeout: (message: string) => new PanelError('TIMEOUT', message),
  /** A disk (or a quota) the panel writes to is full: 507, which device said to administrators only. */
  noSpace: (message: string) => new PanelError('NO_SPACE', message),
  internal: (message = 'Internal server error') => new PanelError('INTERNAL', message),
};

/** Codes of "the disk is full": errno, SQLite, PostgreSQL `disk_full`, MySQL/MariaDB. */
const NO_SPACE_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', '53100', 'ER_RECORD_FILE_FULL', 'ER_DISK_FULL']);

/** The error (or one it wraps through `cause`) saying a disk or quota is full, or null. */
export function noSpaceCause(e: unknown): { code: string; path?: string } | null {
  for (
    let cur = e as { code?: unknown; path?: unknown; cause?: unknown } | undefined, depth = 0;
    cur && depth < 5;
    cur = cur.cause as typeof cur, depth++
  ) {
    if (typeof cur.code === 'string' && NO_SPACE_CODES.has(cur.code))
      return { code: cur.code, ...(typeof cur.path === 'string' ? { path: cur.path } : {}) };
  }
  return null;
}

export function isPanelError(e: unknown): e is PanelError {
  return e instanceof PanelError;
}
