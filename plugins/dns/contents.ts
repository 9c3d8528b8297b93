import { isIPv4, isIPv6 } from 'node:net';
import { errors, type DnsRecordType } from '../../sdk/index.js';
import { hostTarget } from './names.js';

/** Longest TXT value accepted (before splitting into 255-byte strings). */
export const MAX_TXT = 4000;
const CAA_TAGS = new Set(['issue', 'issuewild', 'iodef', 'issuemail']);

function bad(field: string, message: string): never {
  throw errors.validation(`${field}: ${message}`, { field });
}

function uint(field: string, value: string, what: string, max: number): number {
  if (!/^\d{1,10}$/.test(value) || Number(value) > max) bad(field, `${what} must be a whole number from 0 to ${max}`);
  return Number(value);
}

/** Quote TXT text for the zone: `\` and `"` escaped, split into strings of at most 255 bytes. */
export function encodeTxt(text: string): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += 255) parts.push(text.slice(i, i + 255));
  return parts.map((p) => `"${p.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(' ');
}

/** The text of a TXT record in presentation format (quoted strings joined), the inverse of {@link encodeTxt}. */
export function decodeTxt(content: string): string {
  const out: string[] = [];
  for (const m of content.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    out.push(m[1]!.replace(/\\(\d{3}|.)/g, (_, e: string) => (e.length === 3 ? String.fromCharCode(Number(e)) : e)));
  }
  return out.join('');
}

function caa(field: string, value: string): string {
  const m = /^(\d{1,3})\s+([A-Za-z0-9]{1,15})\s+(.+)$/.exec(value);
  if (!m) bad(field, 'a CAA record is "<flags> <tag> <value>", e.g. 0 issue "letsencrypt.org"');
  const flags = uint(field, m[1]!, 'the flags', 255);
  const tag = m[2]!.toLowerCase();
  if (!CAA_TAGS.has(tag)) bad(field, `the tag must be one of ${[...CAA_TAGS].join(', ')}`);
  const inner = m[3]!.startsWith('"') && m[3]!.endsWith('"') && m[3]!.length >= 2 ? m[3]!.slice(1, -1) : m[3]!;
  if (/[^\x20-\x7e]|"/.test(inner) || inner.length > 255)
    bad(field, 'the value must be printable ASCII without quotes, at most 255 characters');
  if (
    tag === 'iodef'
      ? !/^(mailto:|https?:\/\/)\S+$/.test(inner)
      : !/^(;|[a-z0-9.-]+\.[a-z]{2,63}\.?\s*(;.*)?)$/i.test(inner.trim())
  )
    bad(
      field,
      tag === 'iodef'
        ? 'an iodef value is a mailto: or https:// URL'
        : `an ${tag} value is a CA's domain (e.g. letsencrypt.org) or ";"`,
    );
  return `${flags} ${tag} "${inner}"`;
}

/**
 * One record's content checked and put in the form the engine takes (absolute names with the
 * final dot, TXT quoted and split). `field` names the value in a 400 (e.g. `records[2]`).
 */
export function recordContent(type: DnsRecordType, value: string, field: string): string {
  const v = value.trim();
  if (!v) bad(field, 'must not be empty');
  switch (type) {
    case 'A':
      if (!isIPv4(v)) bad(field, `${v} is not an IPv4 address`);
      return v;
    case 'AAAA':
      if (!isIPv6(v) || v.includes('%')) bad(field, `${v} is not an IPv6 address`);
      return new URL(`http://[${v}]/`).hostname.slice(1, -1);
    case 'CNAME':
    case 'NS':
      return hostTarget(v, field);
    case 'MX': {
      const m = /^(\d+)\s+(\S+)$/.exec(v);
      if (!m) bad(field, 'an MX record is "<preference> <mail host>", e.g. 10 mail.example.com');
      return `${uint(field, m[1]!, 'the preference', 65535)} ${hostTarget(m[2]!, field, { allowRoot: true })}`;
    }
    case 'SRV': {
      const m = /^(\d+)\s+(\d+)\s+(\d+)\s+(\S+)$/.exec(v);
      if (!m) bad(field, 'an SRV record is "<priority> <weight> <port> <target>", e.g. 10 5 5060 sip.example.com');
      return `${uint(field, m[1]!, 'the priority', 65535)} ${uint(field, m[2]!, 'the weight', 65535)} ${uint(field, m[3]!, 'the port', 65535)} ${hostTarget(m[4]!, field, { allowRoot: true })}`;
    }
    case 'CAA':
      return caa(field, v);
    case 'TXT':
      if (value.length > MAX_TXT) bad(field, `must be at most ${MAX_TXT} characters`);
      if (/[^\x20-\x7e]/.test(value)) bad(field, 'must be printable ASCII (no control characters or line breaks)');
      return encodeTxt(value);
  }
}

/** A stored record as the API shows it (and accepts it back): TXT as plain text, the rest as stored. */
export function displayContent(type: string, content: string): string {
  return type === 'TXT' ? decodeTxt(content) : content;
}
