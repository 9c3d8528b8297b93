import { errors } from '../../sdk/index.js';

// Labels of owner names may carry underscores (_acme-challenge, _dmarc, _sip._tcp); host names
// that records point at may too (DKIM CNAMEs), but never spaces, dots at the edges or non-ASCII.
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

function badName(field: string, message: string): never {
  throw errors.validation(`${field}: ${message}`, { field });
}

/** Lowercase labels of an ASCII name (no final dot), or a 400 naming `field`. */
function labelsOf(field: string, name: string, opts: { wildcard: boolean }): string[] {
  if (!name) badName(field, 'must not be empty');
  if (name.length > 253) badName(field, 'must be at most 253 characters');
  // eslint-disable-next-line no-control-regex
  if (/[^\x21-\x7e]/.test(name))
    badName(field, 'must be ASCII letters, digits, hyphens, underscores and dots (IDNs in punycode)');
  const labels = name.toLowerCase().split('.');
  labels.forEach((l, i) => {
    if (opts.wildcard && i === 0 && l === '*') return;
    if (l.length > 63) badName(field, `the label ${JSON.stringify(l.slice(0, 20))}… is longer than 63 characters`);
    if (!LABEL.test(l))
      badName(
        field,
        `${JSON.stringify(l)} is not a valid label (letters, digits, hyphens, underscores${opts.wildcard ? ', or * as the first label' : ''})`,
      );
  });
  return labels;
}

/**
 * The owner name of a record as an FQDN inside `zone` (lowercase, no final dot). Accepts `@` or
 * empty for the apex, a name relative to the zone (`www`), or an absolute one (`www.example.com`
 * or `www.example.com.`); anything outside the zone is a 400 naming `field`.
 */
export function recordName(input: string, zone: string, field = 'name'): string {
  const raw = input.trim().toLowerCase();
  if (raw === '' || raw === '@') return zone;
  const absolute = raw.endsWith('.')
    ? raw.slice(0, -1)
    : raw === zone || raw.endsWith(`.${zone}`)
      ? raw
      : `${raw}.${zone}`;
  if (raw.endsWith('.') && absolute !== zone && !absolute.endsWith(`.${zone}`))
    badName(field, `${input} is outside the zone ${zone}`);
  labelsOf(field, absolute, { wildcard: true });
  return absolute;
}

/** A host name a record points at (CNAME, MX, NS, SRV target), absolute with the final dot. */
export function hostTarget(input: string, field: string, opts: { allowRoot?: boolean } = {}): string {
  const raw = input.trim().toLowerCase();
  if (opts.allowRoot && raw === '.') return '.';
  const name = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  const labels = labelsOf(field, name, { wildcard: false });
  if (labels.length < 2) badName(field, `${input} must be a fully qualified host name like mail.example.com`);
  return `${name}.`;
}

/** The name relative to the zone for display (`@` for the apex). */
export function relativeName(name: string, zone: string): string {
  return name === zone ? '@' : name.endsWith(`.${zone}`) ? name.slice(0, -zone.length - 1) : name;
}
