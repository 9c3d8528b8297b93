import type { IncomingMessage } from 'node:http';
import { errors } from '../errors.js';

/**
 * Cookie-authenticated mutating requests must come from the panel's own origin: a cross-site
 * `Sec-Fetch-Site`, or an `Origin` whose host differs from `Host`, is refused.
 */
export function checkSameOrigin(req: IncomingMessage): void {
  const site = req.headers['sec-fetch-site'];
  if (site && site !== 'same-origin' && site !== 'none')
    throw errors.forbidden('Cross-site request refused (CSRF protection)');
  const origin = req.headers.origin;
  if (!origin) {
    if (site) return;
    throw errors.forbidden(
      'Cross-site request refused (CSRF protection): Origin header required for cookie-authenticated changes',
    );
  }
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw errors.forbidden('Cross-site request refused (CSRF protection): invalid Origin');
  }
  if (host !== req.headers.host) throw errors.forbidden('Cross-site request refused (CSRF protection)');
}
