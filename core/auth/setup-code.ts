import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isLoopback } from '../http/client-ip.js';
import { errors } from '../errors.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * The one-time code first-time setup needs from a non-loopback client, so a panel on a public
 * address does not belong to whoever reaches it first. Start-up writes it to the log and to
 * `<data_dir>/setup-code` (0600); a restart before setup keeps the same code.
 */
export class SetupCode {
  private code: string | null = null;

  constructor(private readonly dataDir: string) {}

  get file(): string {
    return path.join(this.dataDir, 'setup-code');
  }

  /** Load the code left by a previous start, or make and store a new one. */
  issue(): string {
    try {
      const existing = readFileSync(this.file, 'utf8').trim();
      if (/^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$/.test(existing)) return (this.code = existing);
    } catch {
      /* none yet */
    }
    const bytes = randomBytes(20);
    const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
    this.code = chars.match(/.{4}/g)!.join('-');
    rmSync(this.file, { force: true });
    writeFileSync(this.file, this.code + '\n', { mode: 0o600, flag: 'wx' });
    return this.code;
  }

  /** Setup is done: the code is void and its file removed. */
  retire(): void {
    this.code = null;
    rmSync(this.file, { force: true });
  }

  /** Loopback clients need no code; anyone else must present it (compared in constant time). */
  check(ip: string, given: string | undefined): void {
    if (isLoopback(ip)) return;
    if (!given) throw errors.forbidden(`Setup from a remote address needs the setup code: it is in the panel's log and in ${this.file}`);
    const digest = (s: string) => createHash('sha256').update(s.trim().toUpperCase()).digest();
    if (!this.code || !timingSafeEqual(digest(given), digest(this.code))) throw errors.forbidden('Invalid setup code');
  }
}
