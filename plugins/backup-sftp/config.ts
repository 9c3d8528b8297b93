import { createHash } from 'node:crypto';
import { Type, type Static } from '../../sdk/index.js';

/** Settings of an SFTP target (`password`, `private_key` and `passphrase` are secrets). */
export const SftpTargetSchema = Type.Object({
  host: Type.String({
    maxLength: 255,
    pattern: '^[A-Za-z0-9.:\\[\\]-]+$',
    'x-error': 'must be a host name or address',
  }),
  port: Type.Integer({ default: 22, minimum: 1, maximum: 65535, 'x-error': 'must be a port number 1–65535' }),
  username: Type.String({ pattern: '^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$', 'x-error': 'must be a login name' }),
  password: Type.String({ default: '', maxLength: 1024 }),
  private_key: Type.String({
    default: '',
    maxLength: 16384,
    pattern: '^(-----BEGIN [A-Z ]+-----[\\s\\S]+-----END [A-Z ]+-----\\s*)?$',
    'x-error': 'must be a PEM or OpenSSH private key',
  }),
  passphrase: Type.String({ default: '', maxLength: 1024 }),
  host_key: Type.String({
    maxLength: 2048,
    pattern:
      '^((ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521) [A-Za-z0-9+/]+={0,3}|SHA256:[A-Za-z0-9+/]{43}=?)$',
    'x-error': "must be the server's host key ('ssh-ed25519 AAAA…' as in known_hosts) or its SHA256: fingerprint",
  }),
  path: Type.String({
    default: 'backups',
    maxLength: 1024,
    pattern: '^/?([A-Za-z0-9_][A-Za-z0-9._-]*/?)*$',
    'x-error': "must be a directory path of plain names (no '..')",
  }),
});

/** Validated SFTP target settings. */
export type SftpTargetConfig = Static<typeof SftpTargetSchema>;

/**
 * The server's key must be the configured one (pinned, like a known_hosts line): without it an
 * attacker in the middle would receive every backup and the login secret.
 */
export function hostKeyMatcher(expected: string): (key: Buffer) => boolean {
  if (expected.startsWith('SHA256:')) {
    const want = expected.slice(7).replace(/=+$/, '');
    return (key) => createHash('sha256').update(key).digest('base64').replace(/=+$/, '') === want;
  }
  const blob = Buffer.from(expected.split(' ')[1] ?? '', 'base64');
  return (key) => blob.length > 0 && key.equals(blob);
}
