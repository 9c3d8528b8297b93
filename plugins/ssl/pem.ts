import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { errors } from '../../sdk/index.js';

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/g;
const DAY_MS = 86_400_000;

/** What the API shows of a certificate, read from the PEM itself. */
export interface CertificateFacts {
  subject: string;
  issuer: string;
  sans: string[];
  serial: string;
  valid_from: string;
  valid_to: string;
  fingerprint_sha256: string;
}

/** The PEM blocks of a bundle, in order, normalised to `\n` line ends. */
export function splitCertificates(pem: string): string[] {
  return (pem.match(CERT_BLOCK) ?? []).map((b) => b.replace(/\r\n/g, '\n') + '\n');
}

/** Distinguished name on one line (`CN=example.com, O=…`). */
function dn(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

/** DNS names of the subjectAltName extension. */
export function dnsNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4).toLowerCase());
}

/** Facts of the first certificate of a PEM bundle (throws when there is none). */
export function certificateFacts(pem: string): CertificateFacts {
  const [first] = splitCertificates(pem);
  if (!first) throw new Error('no certificate in PEM');
  const c = new X509Certificate(first);
  return {
    subject: dn(c.subject),
    issuer: dn(c.issuer),
    sans: dnsNames(c),
    serial: c.serialNumber.toUpperCase(),
    valid_from: new Date(c.validFrom).toISOString(),
    valid_to: new Date(c.validTo).toISOString(),
    fingerprint_sha256: c.fingerprint256,
  };
}

/** Whole days until `validTo` (negative once expired). */
export function daysLeft(validTo: string, now = Date.now()): number {
  return Math.floor((Date.parse(validTo) - now) / DAY_MS);
}

/** A certificate as uploaded, split into the files the store keeps. */
export interface CertificateBundle {
  certificate: string;
  chain: string;
  key: string;
}

function parseOne(pem: string, field: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw errors.validation(`${field}: is not a valid PEM certificate`);
  }
}

function parseKey(pem: string): KeyObject {
  if (/ENCRYPTED/.test(pem))
    throw errors.validation('private_key: must not be encrypted (remove the passphrase first)');
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    if (key.type !== 'private') throw new Error('not private');
    return key;
  } catch {
    throw errors.validation('private_key: is not a valid PEM private key');
  }
}

/**
 * Check an uploaded certificate: PEM well-formed, the key matches, it covers `domain`, it is
 * currently valid, and each chain certificate issued the one before it.
 */
export function checkUpload(
  domain: string,
  input: { certificate: string; private_key: string; chain?: string },
  now = new Date(),
): CertificateBundle {
  const blocks = splitCertificates(input.certificate);
  if (blocks.length === 0) throw errors.validation('certificate: is not a valid PEM certificate');
  const leaf = parseOne(blocks[0]!, 'certificate');
  const chainBlocks = [...blocks.slice(1), ...splitCertificates(input.chain ?? '')];
  if (input.chain && input.chain.trim() && splitCertificates(input.chain).length === 0)
    throw errors.validation('chain: is not a valid PEM certificate bundle');
  const chain = chainBlocks.map((b) => parseOne(b, 'chain'));
  const key = parseKey(input.private_key);
  if (!leaf.checkPrivateKey(key)) throw errors.validation('private_key: does not match the certificate');
  if (leaf.checkHost(domain, { subject: 'default', wildcards: true, partialWildcards: false }) === undefined)
    throw errors.validation(`certificate: does not cover ${domain} (names: ${dnsNames(leaf).join(', ') || 'none'})`);
  if (new Date(leaf.validTo) <= now)
    throw errors.validation(`certificate: expired on ${new Date(leaf.validTo).toISOString()}`);
  if (new Date(leaf.validFrom) > now)
    throw errors.validation(`certificate: is not valid before ${new Date(leaf.validFrom).toISOString()}`);
  [leaf, ...chain].slice(0, -1).forEach((c, i) => {
    if (!c.checkIssued(chain[i]!) || !c.verify(chain[i]!.publicKey))
      throw errors.validation(`chain: certificate ${i + 1} of the chain did not issue the one before it`);
  });
  return {
    certificate: blocks[0]!,
    chain: chainBlocks.join(''),
    key: key.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

/** Split an ACME full chain into leaf and chain. */
export function splitFullchain(fullchain: string, key: string): CertificateBundle {
  const [leaf, ...rest] = splitCertificates(fullchain);
  if (!leaf) throw errors.externalCommand('The CA returned no certificate');
  return { certificate: leaf, chain: rest.join(''), key };
}
