import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const FORMAT = 'k1';

/**
 * The panel's own key for secrets it keeps at rest (two-factor seeds, login challenges): 32
 * random bytes in `<data_dir>/panel_key`, made 0600 on first use. Several panel processes (and
 * the offline CLI) starting at once agree on one file (`wx`). A database dump alone never holds
 * what this key protects in clear; the key file must be backed up with the data directory.
 */
export class PanelKey {
  private key: Buffer | null = null;

  constructor(private readonly file: string) {}

  static inDataDir(dataDir: string): PanelKey {
    return new PanelKey(path.join(dataDir, 'panel_key'));
  }

  private master(): Buffer {
    if (this.key) return this.key;
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(this.file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (statSync(this.file).mode & 0o077) chmodSync(this.file, 0o600);
    }
    const key = Buffer.from(readFileSync(this.file, 'utf8').trim(), 'base64');
    if (key.length !== 32)
      throw new Error(
        `${this.file} does not hold a 256-bit key; delete it only if nothing sealed with it must be kept`,
      );
    this.key = key;
    return key;
  }

  /** A key for one purpose, so a value sealed for one use never opens as another. */
  private derived(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.master(), Buffer.alloc(0), `velopanel:${purpose}`, 32));
  }

  /** AES-256-GCM: `k1:<iv>:<tag>:<ciphertext>`, all base64url. */
  seal(purpose: string, text: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.derived(purpose), iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return [FORMAT, iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join(':');
  }

  /** The text sealed for this purpose; null for anything forged, altered, or sealed for another purpose or key. */
  open(purpose: string, sealed: string): string | null {
    const [format, iv, tag, body, extra] = sealed.split(':');
    if (format !== FORMAT || !iv || !tag || body === undefined || extra !== undefined) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.derived(purpose), Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  /** A keyed hash (HMAC-SHA256, hex) for values too random to need a slow hash, e.g. recovery codes. */
  mac(purpose: string, text: string): string {
    return createHmac('sha256', this.derived(purpose)).update(text).digest('hex');
  }
}
