/**
 * Structured logger; `fields` are emitted as JSON keys. Never pass secrets. Pass a caught error
 * as itself (`{ error: e }`): it is written with its admin-only detail (a failed tool's words),
 * which its `message` leaves out.
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}
