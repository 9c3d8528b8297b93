import type { ServerResponse } from 'node:http';
import { errors, isPanelError, type PanelError } from '../errors.js';

/** Write a JSON body with the security headers every answer carries. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  if (res.headersSent) return;
  const payload = JSON.stringify(body);
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  res.end(payload);
}

/** `{ok:true,data}` */
export function sendOk(res: ServerResponse, data: unknown, status = 200): void {
  sendJson(res, status, { ok: true, data: data === undefined ? null : data });
}

/**
 * The one place an error becomes a response: a PanelError keeps its status, message and code;
 * anything else is a 500 with a generic message (the real error goes to the log only).
 */
export function toPanelError(e: unknown): PanelError {
  return isPanelError(e) ? e : errors.internal();
}

export function sendError(res: ServerResponse, e: unknown, requestId?: string): PanelError {
  const err = toPanelError(e);
  const body: Record<string, unknown> = { ok: false, error: err.message, code: err.code };
  if (requestId) body.request_id = requestId;
  const headers: Record<string, string> = {};
  if (err.code === 'RATE_LIMITED' && typeof (err.details as any)?.retryAfter === 'number')
    headers['Retry-After'] = String((err.details as any).retryAfter);
  sendJson(res, err.status, body, headers);
  return err;
}
