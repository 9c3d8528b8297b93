import type { TLSSocket } from 'node:tls';
import type { ApiRequest } from '../../sdk/routes.js';
import { COOKIE_NAME } from './authenticator.js';

/** Secure cookies when the client reached us over TLS (directly, or via a trusted proxy saying so). */
function overTls(req: ApiRequest): boolean {
  if ((req.raw.socket as TLSSocket).encrypted) return true;
  const forwarded = req.ip !== (req.raw.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  return (
    forwarded &&
    String(req.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]!
      .trim() === 'https'
  );
}

/** The session cookie carrying `value` (empty with max-age 0 clears it). */
export function sessionCookie(req: ApiRequest, value: string, maxAge: number): string {
  return `${COOKIE_NAME}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${overTls(req) ? '; Secure' : ''}`;
}
