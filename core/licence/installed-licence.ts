import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, unwatchFile, watch, watchFile, writeFileSync, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LicenceView } from '../../sdk/licence.js';
import type { Logger } from '../../sdk/logger.js';
import { errors } from '../errors.js';
import type { LicenceKey } from './keys.js';
import { evaluateLicence, type LicenceStatus } from './licence-state.js';
import type { TierTable } from './tiers.js';
import { verifyLicence, type LicenceCheck } from './verify.js';

const MAX_FILE_BYTES = 64 * 1024;
const POLL_MS = 5000;

/**
 * The licence file on disk and the licence in force. The file is re-read when it changes
 * (inotify on its directory, plus a slow stat poll for filesystems without it), and the state
 * moves from valid to grace to expired by the clock alone.
 */
export class InstalledLicence {
  private check: LicenceCheck | null = null;
  private status: LicenceStatus;
  private seq = 0;
  private watcher: FSWatcher | null = null;
  private debounce: NodeJS.Timeout | undefined;
  private tableVersion: number;

  constructor(
    private readonly opts: {
      file: string;
      keys: Map<string, LicenceKey>;
      testMode: boolean;
      table: TierTable;
      logger: Logger;
    },
  ) {
    this.tableVersion = opts.table.version;
    this.status = evaluateLicence(null, Date.now(), opts.table);
  }

  get file(): string {
    return this.opts.file;
  }

  /** The licence in force now (cheap: re-evaluated only when a date passes or plugins declare terms). */
  view(): LicenceView {
    return this.current().view;
  }

  current(): LicenceStatus {
    if (Date.now() >= this.status.nextChange || this.tableVersion !== this.opts.table.version) this.evaluate();
    return this.status;
  }

  private evaluate(): void {
    this.tableVersion = this.opts.table.version;
    this.status = evaluateLicence(this.check, Date.now(), this.opts.table);
  }

  /** Read and verify the file; a missing or empty file means no licence. */
  async load(): Promise<void> {
    const seq = ++this.seq;
    let check: LicenceCheck | null;
    try {
      const size = (await stat(this.opts.file)).size;
      const text = size > MAX_FILE_BYTES ? null : (await readFile(this.opts.file, 'utf8')).trim();
      check =
        text === null
          ? { ok: false, reason: 'licence file is too large' }
          : text
            ? await verifyLicence(text, this.opts.keys, this.opts.testMode)
            : null;
    } catch (e) {
      check =
        (e as NodeJS.ErrnoException).code === 'ENOENT'
          ? null
          : { ok: false, reason: `licence file unreadable: ${(e as Error).message}` };
    }
    if (seq !== this.seq) return;
    this.apply(check);
  }

  /** Verify and install a new licence text; refuses (400) anything that would not be in force. */
  async install(text: string): Promise<LicenceStatus> {
    const check = await verifyLicence(text, this.opts.keys, this.opts.testMode);
    if (!check.ok) throw errors.validation(`license_key: ${check.reason}`);
    const status = evaluateLicence(check, Date.now(), this.opts.table);
    if (status.view.state !== 'valid' && status.view.state !== 'grace')
      throw errors.validation(`license_key: ${status.message}`);
    const dir = path.dirname(this.opts.file);
    const tmp = path.join(dir, `.${path.basename(this.opts.file)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o750 });
      writeFileSync(tmp, text.trim() + '\n', { mode: 0o600, flag: 'wx' });
      renameSync(tmp, this.opts.file);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw errors.unavailable(
        `Cannot write the licence file ${this.opts.file} (${(e as NodeJS.ErrnoException).code ?? 'error'}); check license_key_path`,
      );
    }
    ++this.seq;
    this.apply(check);
    return this.status;
  }

  /** Follow the file for changes until {@link stop}. */
  watch(): void {
    const reload = () => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(
        () =>
          void this.load().catch((e) =>
            this.opts.logger.error('licence reload failed', { error: (e as Error).message }),
          ),
        50,
      );
      this.debounce.unref();
    };
    try {
      const base = path.basename(this.opts.file);
      this.watcher = watch(path.dirname(this.opts.file), { persistent: false }, (_event, name) => {
        if (!name || name === base) reload();
      });
      this.watcher.on('error', () => undefined);
    } catch {
      this.watcher = null;
    }
    watchFile(this.opts.file, { interval: POLL_MS, persistent: false }, (now, before) => {
      if (now.mtimeMs !== before.mtimeMs || now.size !== before.size || now.ino !== before.ino) reload();
    });
  }

  stop(): void {
    clearTimeout(this.debounce);
    this.watcher?.close();
    unwatchFile(this.opts.file);
  }

  private apply(check: LicenceCheck | null): void {
    const before = this.status.view;
    this.check = check;
    this.evaluate();
    const v = this.status.view;
    if (
      v.tier === before.tier &&
      v.state === before.state &&
      v.customer === before.customer &&
      v.expires_at === before.expires_at
    )
      return;
    const fields = {
      tier: v.tier,
      state: v.state,
      customer: v.customer,
      expires_at: v.expires_at,
      file: this.opts.file,
    };
    if (this.status.message && v.state !== 'valid') this.opts.logger.warn(`licence: ${this.status.message}`, fields);
    else this.opts.logger.info('licence in force', fields);
  }
}
