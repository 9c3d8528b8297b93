import { errors, type ExecService } from '../../sdk/index.js';

/** Key types accepted; DSA (`ssh-dss`) is not among them: it is limited to 1024 bits. */
export const KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
];
const MIN_RSA_BITS = 2048;
const F = 'public_key';

/** A validated public key: exactly the three fields that reach authorized_keys. */
export interface PublicKey {
  type: string;
  /** Base64 of the key blob. */
  key: string;
  comment: string;
}

/** The one line written to authorized_keys for a key (no options, ever). */
export function keyLine(k: PublicKey): string {
  return k.comment ? `${k.type} ${k.key} ${k.comment}` : `${k.type} ${k.key}`;
}

/** The first string of an SSH wire-format blob (its key type), or null when malformed. */
function blobType(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const n = blob.readUInt32BE(0);
  return n > 0 && n <= 64 && blob.length >= 4 + n ? blob.subarray(4, 4 + n).toString('latin1') : null;
}

/**
 * Parse an OpenSSH public key line strictly: `type base64 [comment]` on one line, nothing before
 * the type. authorized_keys reads anything before a key as options (`command=`, `from=`,
 * `environment=`…), and a newline would start a second entry; both are refused, not stripped.
 */
export function parsePublicKey(input: string, comment?: string): PublicKey {
  const text = input.replace(/\r?\n$/, '').trim();
  if (/[\r\n]/.test(text)) throw errors.validation(`${F}: must be a single line (one key per request)`);
  if (/[\x00-\x1f\x7f]/.test(text)) throw errors.validation(`${F}: must not contain control characters`);
  const [type = '', key = '', ...rest] = text.split(/ +/);
  if (type === 'ssh-dss')
    throw errors.validation(`${F}: DSA keys are refused (they are weak); use ed25519 or RSA of 2048 bits or more`);
  if (!KEY_TYPES.includes(type)) {
    if (/^[a-z-]+(=|,| )/i.test(text) && text.split(/ +/).some((w) => KEY_TYPES.includes(w)))
      throw errors.validation(`${F}: must not carry options (such as command= or from=); give just the key`);
    throw errors.validation(`${F}: must start with a key type (${KEY_TYPES.join(', ')})`);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || key.length % 4 !== 0)
    throw errors.validation(`${F}: the key data is not valid base64`);
  if (blobType(Buffer.from(key, 'base64')) !== type)
    throw errors.validation(`${F}: the key data does not match its type ${type}`);
  const c = (comment ?? rest.join(' ')).trim();
  if (/[\x00-\x1f\x7f]/.test(c)) throw errors.validation('comment: must not contain control characters');
  if (c.length > 200) throw errors.validation('comment: must be at most 200 characters');
  return { type, key, comment: c };
}

/** What `ssh-keygen -l` says of a key. */
export interface KeyInfo {
  bits: number;
  fingerprint: string;
}

/**
 * Fingerprint and size by OpenSSH's own parser (`ssh-keygen -l -f -`, the key on stdin): a key it
 * cannot read is refused, and RSA below 2048 bits is weak.
 */
export async function inspectKey(exec: ExecService, k: PublicKey): Promise<KeyInfo> {
  const r = await exec.run('ssh-keygen', ['-l', '-E', 'sha256', '-f', '-'], {
    input: `${k.type} ${k.key}\n`,
    allowFailure: true,
    timeoutMs: 10_000,
  });
  const m = /^(\d+) (SHA256:[A-Za-z0-9+/]+) /.exec(r.stdout);
  if (r.code !== 0 || !m) throw errors.validation(`${F}: is not a public key OpenSSH can read`);
  const bits = Number(m[1]);
  if (k.type === 'ssh-rsa' && bits < MIN_RSA_BITS)
    throw errors.validation(`${F}: RSA keys must have at least ${MIN_RSA_BITS} bits (this one has ${bits})`);
  return { bits, fingerprint: m[2]! };
}

/** The whole authorized_keys file of an account. */
export function authorizedKeys(keys: PublicKey[]): string {
  const head = '# Managed by VeloPanel: keys are added and removed in the panel; edits here are overwritten.\n';
  return head + keys.map((k) => `${keyLine(k)}\n`).join('');
}
