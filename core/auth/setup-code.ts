import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isLoopback } from '../http/client-ip.js';
import { errors } from '../errors.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * The one-time code first-time setup needs, so a panel does not belong to whoever reaches it
 * first. Start-up writes it to the log and to `<data_dir>/setup-code` (0600); a restart before
 * setup keeps the same code. In local mode loopback clients need no code; in linux mode every
 * client does, because tenants run code on the host and reach loopback too.
 */
export class SetupCode {
  private code: string | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly mode: 'local' | 'linux' = 'local',
  ) {}

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

  /** Whether a client at `ip` must present the code. */
  required(ip: string): boolean {
    return this.mode === 'linux' || !isLoopback(ip);
  }

  /** Who needs the code, as the log line and the refusal say it. */
  get who(): string {
    return this.mode === 'linux' ? 'Setup in linux mode (loopback included)' : 'Setup from a remote address';
  }

  /** The client must present the code when {@link required} says so (compared in constant time). */
  check(ip: string, given: string | undefined): void {
    if (!this.required(ip)) return;
    if (!given)
      throw errors.forbidden(`${this.who} needs the setup code: it is in the panel's log and in ${this.file}`);
    const digest = (s: string) => createHash('sha256').update(s.trim().toUpperCase()).digest();
    if (!this.code || !timingSafeEqual(digest(given), digest(this.code))) throw errors.forbidden('Invalid setup code');
  }
}
