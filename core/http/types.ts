import type { IncomingMessage } from 'node:http';
import type { Principal } from '../../sdk/auth.js';
import type { LicenceView } from '../../sdk/licence.js';
import type { RouteDefinition } from '../../sdk/routes.js';
import type { Validator } from '../validation.js';

/** How the request was authenticated (cookie requests get the CSRF check). */
export interface Authentication {
  principal: Principal;
  via: 'bearer' | 'cookie';
  /**
   * A credential good for only these routes (patterns as registered) besides public ones, e.g. a
   * login that must enrol in two-factor login first; any other route answers 403 with `reason`.
   */
  confinedTo?: { paths: readonly string[]; reason: string };
}

/** Turns request headers into a principal; provided by the auth module. */
export interface Authenticator {
  /** Answers at once for a cached credential; a promise when it must be verified. */
  authenticate(req: IncomingMessage, ip: string): Authentication | null | Promise<Authentication | null>;
}

/** One audit record for a mutating request. */
export interface AuditEntry {
  time: string;
  user_id: number | null;
  username: string | null;
  role: string | null;
  reseller_id: number | null;
  method: string;
  route: string;
  path: string;
  target: string | null;
  status: number;
  ok: boolean;
  ip: string;
  request_id: string;
  plugin: string;
  /** The login that opened this session as `username` ("open as this account"), else null. */
  impersonator?: string | null;
}

export interface AuditSink {
  record(entry: AuditEntry): void;
}

/** Observers of finished requests (metrics). */
export type ResponseObserver = (e: { method: string; route: string; status: number; ms: number }) => void;

/** Answers whether a plugin's routes may run now, and why not. */
export type PluginGate = (
  pluginId: string,
  principal: Principal | null,
) => { ok: true } | { ok: false; reason: string; detail?: string };

/** A registered route with its compiled validators. */
export interface RouteRecord {
  pluginId: string;
  def: RouteDefinition;
  params?: Validator;
  query?: Validator;
  body?: Validator;
  mutating: boolean;
}

export type LicenceSource = () => LicenceView;
