import type { ServerResponse } from 'node:http';
import { errors, isPanelError, type PanelError } from '../errors.js';
import { ListPage } from '../lists/list-page.js';

/** Extra response headers as name/value pairs (a value may repeat a header, e.g. Set-Cookie). */
export type HeaderPairs = [string, string | string[]][];

/**
 * Write a JSON body with the security headers every answer carries. The headers go out in one
 * `writeHead` with a flat list (Node's fast path); headers a handler set on `res` itself are kept.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId?: string,
  extra?: HeaderPairs,
): void {
  if (res.headersSent) return;
  const payload = JSON.stringify(body);
  const headers: (string | string[])[] = [
    'Content-Type',
    'application/json; charset=utf-8',
    'Content-Length',
    String(Buffer.byteLength(payload)),
    'X-Content-Type-Options',
    'nosniff',
    'Cache-Control',
    'no-store',
  ];
  if (requestId) headers.push('X-Request-Id', requestId);
  if (extra) for (const [k, v] of extra) headers.push(k, v);
  res.writeHead(status, headers as string[]);
  res.end(payload);
}

/** `{ok:true,data}`; a {@link ListPage} answers `{ok:true,data:[…],total}`. */
export function sendOk(
  res: ServerResponse,
  data: unknown,
  status = 200,
  requestId?: string,
  extra?: HeaderPairs,
): void {
  if (data instanceof ListPage)
    return sendJson(res, status, { ok: true, data: data.items, total: data.total }, requestId, extra);
  sendJson(res, status, { ok: true, data: data === undefined ? null : data }, requestId, extra);
}

/**
 * The one place an error becomes a response: a PanelError keeps its status, message and code;
 * anything else is a 500 with a generic message (the real error goes to the log only).
 */
export function toPanelError(e: unknown): PanelError {
  return isPanelError(e) ? e : errors.internal();
}

/** The envelope of a failure; `viewer` (the caller, when known) decides whether admin-only detail is shown. */
export function sendError(
  res: ServerResponse,
  e: unknown,
  requestId?: string,
  viewer?: { role: string } | null,
): PanelError {
  const err = toPanelError(e);
  const body: Record<string, unknown> = { ok: false, error: err.messageFor(viewer), code: err.code };
  if (requestId) body.request_id = requestId;
  // The second login step's sealed challenge is the one detail an error answer carries.
  if (err.code === 'TOTP_REQUIRED') Object.assign(body, err.details);
  const retryAfter = (err.details as { retryAfter?: unknown } | undefined)?.retryAfter;
  sendJson(
    res,
    err.status,
    body,
    requestId,
    err.code === 'RATE_LIMITED' && typeof retryAfter === 'number' ? [['Retry-After', String(retryAfter)]] : undefined,
  );
  return err;
}
