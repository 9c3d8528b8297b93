import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { loadKeyFile } from './key-file.js';
import type { Manifest } from './manifest.js';

/** The signature a manifest carries (`signature`, outside what it signs). */
export type ManifestSignature = NonNullable<Manifest['signature']>;

/** What checking a manifest's signature found. */
export type SignatureCheck = { status: 'valid' } | { status: 'unsigned' | 'foreign' | 'altered'; reason: string };

/**
 * JSON with every object's keys sorted, so the signed bytes do not depend on the order a writer
 * (or a JSON parser) kept them in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Signs backup manifests with the panel's key (HMAC-SHA-256; 256 random bits in a 0600 file,
 * made on first use) and checks them on restore, so an archive someone put on a shared S3 or
 * SFTP target is not taken for one this panel made: the manifest's SHA-256 sums bind every part,
 * and the signature binds the manifest. The key id (a hash of the key) names the key an archive
 * was signed with, so a refusal can say "another panel's key" rather than "altered".
 */
export class ManifestSigner {
  private key: Buffer | null = null;

  constructor(readonly keyFile: string) {}

  private loadKey(): Buffer {
    this.key ??= loadKeyFile(this.keyFile);
    return this.key;
  }

  /** Public name of the key: the first 16 hex digits of its SHA-256 (says nothing about the key). */
  keyId(): string {
    return createHash('sha256')
      .update('velopanel-backup-signing-key\0')
      .update(this.loadKey())
      .digest('hex')
      .slice(0, 16);
  }

  private mac(m: Omit<Manifest, 'signature'>): string {
    return createHmac('sha256', this.loadKey()).update(canonicalJson(m)).digest('hex');
  }

  /** The signature of a manifest (everything in it but `signature`). */
  sign(m: Omit<Manifest, 'signature'>): ManifestSignature {
    const { signature: _, ...rest } = m as Manifest;
    return { alg: 'hmac-sha256', key_id: this.keyId(), value: this.mac(rest) };
  }

  /** Whether the manifest was signed with this panel's key and not changed since. */
  check(m: Manifest): SignatureCheck {
    const { signature, ...rest } = m;
    if (!signature)
      return {
        status: 'unsigned',
        reason: 'the archive is not signed (made before backups were signed, or not by this panel)',
      };
    if (signature.key_id !== this.keyId())
      return {
        status: 'foreign',
        reason: `the archive is signed with another key (key id ${signature.key_id}), not this panel's (${this.keyId()})`,
      };
    const want = Buffer.from(this.mac(rest), 'hex');
    const got = Buffer.from(signature.value, 'hex');
    if (got.length !== want.length || !timingSafeEqual(got, want))
      return {
        status: 'altered',
        reason: 'the manifest does not match its signature (it was changed after this panel signed it)',
      };
    return { status: 'valid' };
  }
}
