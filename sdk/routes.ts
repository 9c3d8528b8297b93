import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TSchema } from 'typebox';
import type { OwnedResource, Principal, Role } from './auth.js';
import type { Tier } from './licence.js';

/** HTTP methods a route may answer. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route. `public: true` opens it to anyone (login, setup). Otherwise the caller
 * must be authenticated and pass every check given here.
 */
export interface RouteAccess {
  public?: boolean;
  /** Roles allowed; default all three. */
  roles?: Role[];
  /** API-token scope required (e.g. `accounts:write`); session logins have every scope of their role. */
  scope?: string;
  /** Minimum licence tier for this route. */
  tier?: Tier;
  /** Licence feature the route needs. */
  feature?: string;
  /**
   * Resolves the resource the request targets so the kernel can check ownership: admin always
   * passes, a reseller must own it, a user must be bound to it. Return null when not found (404).
   */
  owner?: (req: ApiRequest) => Promise<OwnedResource | null> | OwnedResource | null;
  /** Treat as mutating for CSRF and audit even if the method is GET. */
  mutating?: boolean;
  /**
   * The route changes how a login signs in (password, two-factor, API tokens): refused (403) to a
   * session opened as another login, so viewing someone's panel never turns into owning the login.
   */
  credentials?: boolean;
}

/** Validated request as a handler sees it. */
export interface ApiRequest<P = any, Q = any, B = any> {
  params: P;
  query: Q;
  body: B;
  principal: Principal | null;
  /** Client address (X-Forwarded-For honoured only from trusted proxies). */
  ip: string;
  requestId: string;
  headers: IncomingMessage['headers'];
  /** Raw request, for streaming bodies (uploads). The body is not consumed when `rawBody` is set. */
  raw: IncomingMessage;
  /** Raw response, for streaming answers; return {@link RAW_RESPONSE} after writing to it. */
  res: ServerResponse;
  /** Set a response header on the enveloped answer. */
  setHeader(name: string, value: string | string[]): void;
  /** Audit target for this request (e.g. `account:7`); defaults to the path. */
  auditTarget?: string;
}

/** Return this from a handler that wrote the response itself (downloads, event streams). */
export const RAW_RESPONSE: unique symbol = Symbol.for('velopanel.raw-response');

/** A route a plugin registers. The kernel wraps the handler's return value in `{ok:true,data}`. */
export interface RouteDefinition<P = any, Q = any, B = any> {
  method: HttpMethod;
  /** Path under the server root, e.g. `/api/accounts/:id`. */
  path: string;
  summary?: string;
  schema?: { params?: TSchema; query?: TSchema; body?: TSchema; response?: TSchema };
  access: RouteAccess;
  /** Leave the body unread for the handler to stream (multipart uploads). */
  rawBody?: boolean;
  /** Override the JSON body size limit for this route (bytes). */
  bodyLimit?: number;
  /** HTTP status for a successful answer (default 200). */
  status?: number;
  handler: (req: ApiRequest<P, Q, B>) => Promise<unknown> | unknown;
}

/**
 * Helper keeping a route's types tied to its schemas.
 *
 * @example
 * ```ts
 * route({ method: 'GET', path: '/api/hello', access: { public: true }, handler: () => ({ hi: 1 }) })
 * ```
 */
export function route<P = any, Q = any, B = any>(def: RouteDefinition<P, Q, B>): RouteDefinition<P, Q, B> {
  return def;
}
