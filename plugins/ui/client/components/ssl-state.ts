// Certificate state from whatever dates the SSL API gives: valid, expiring (30 days), expired.
// Shared by the ssl plugin's page and the domains page's certificate column; it asks nothing when
// the ssl plugin is absent, so the domains page works without it.
import { api, listOf } from '../base/api.js';
import { pluginActive } from '../base/capabilities.js';
import { daysUntil } from '../base/format.js';
import { badge } from './page.js';

/** A certificate as `GET /api/ssl/certificates` lists it (field names vary by version). */
export interface Certificate {
  domain: string;
  issuer?: string;
  expires_at?: string;
  not_after?: string;
  valid_to?: string;
  days_left?: number;
  [k: string]: unknown;
}

/** Domain of a certificate record. */
export function certDomain(c: Certificate): string {
  return String(c.domain ?? c.subject ?? c.common_name ?? '');
}

/** Expiry date of a certificate record. */
export function certExpiry(c: Certificate): string | null {
  const v = c.expires_at ?? c.not_after ?? c.valid_to ?? c.expiry ?? c.valid_until;
  return typeof v === 'string' ? v : null;
}

/** The issuer's common name when the API gives a distinguished name. */
export function certIssuer(c: Certificate): string {
  const issuer = typeof c.issuer === 'string' ? c.issuer : '';
  return /(?:^|[,\n/]\s*)CN=([^,\n/]+)/.exec(issuer)?.[1]?.trim() ?? (issuer || '—');
}

/** Days left, from the API or computed from the expiry. */
export function certDaysLeft(c: Certificate): number | null {
  const d = c.days_left ?? c.days_remaining;
  return typeof d === 'number' ? d : daysUntil(certExpiry(c));
}

/** The state label: valid, expiring within 30 days, or expired. */
export function certBadge(c: Certificate | undefined): HTMLElement {
  if (!c) return badge('no certificate', 'muted');
  const days = certDaysLeft(c);
  if (days === null) return badge('unknown', 'muted');
  if (days < 0) return badge('expired', 'danger');
  if (days <= 30) return badge(`expires in ${days} d`, 'warn');
  return badge('valid', 'ok');
}

/** Certificates by domain; empty when the SSL plugin is not active or the list fails. */
export async function certificatesByDomain(): Promise<Map<string, Certificate>> {
  if (!pluginActive('ssl')) return new Map();
  try {
    const certs = listOf<Certificate>(await api('GET', '/api/ssl/certificates'), 'certificates');
    return new Map(certs.map((c) => [certDomain(c), c]));
  } catch {
    return new Map();
  }
}
