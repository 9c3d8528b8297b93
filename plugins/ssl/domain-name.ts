import path from 'node:path';
import { errors, Type } from '../../sdk/index.js';

// LDH labels of 1–63 characters, at least two labels, a final label that is alphabetic or punycode.
const DOMAIN =
  '^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+(?:[A-Za-z]{2,63}|[Xx][Nn]--[A-Za-z0-9-]{1,59})$';
const DOMAIN_RE = new RegExp(DOMAIN);

/** Schema of a domain name in params and bodies (ASCII only: IDNs in punycode). */
export const DomainName = Type.String({
  pattern: DOMAIN,
  maxLength: 253,
  'x-error': 'must be a domain name like example.com (letters, digits, hyphens and dots; IDNs in punycode)',
});

/** Schema of the name to certify in `POST /api/ssl/provision`: a domain, or `*.` and a domain (a wildcard). */
export const CertificateName = Type.String({
  pattern: `^(\\*\\.)?${DOMAIN.slice(1)}`,
  maxLength: 255,
  'x-error': 'must be a domain name like example.com, or *.example.com for a wildcard (IDNs in punycode)',
});

/** Whether a string is a valid host name as {@link DomainName} accepts it. */
export function isDomainName(name: string): boolean {
  return DOMAIN_RE.test(name);
}

/** Schema of the optional `webroot` (checked against the account's home by {@link checkWebroot}). */
export const Webroot = Type.String({
  pattern: '^(/[A-Za-z0-9._+@=,~-]+)+$',
  maxLength: 1024,
  'x-error': 'must be an absolute path of letters, digits and ._+@=,~-',
});

/**
 * The webroot as a path inside `home`: no `.`/`..` parts, not the prefix trap (`/home/alice2`
 * is not inside `/home/alice`). Links below the home are refused later, when the challenge is
 * written component by component without following them.
 */
export function checkWebroot(home: string, webroot: string): string {
  const parts = webroot.split('/').slice(1);
  if (parts.some((p) => p === '.' || p === '..')) throw errors.validation('webroot: must not contain . or .. parts');
  const rel = path.relative(home, webroot);
  if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel))
    throw errors.validation(`webroot: must be inside the account's home directory ${home}`);
  return webroot;
}
