import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  errors,
  FragmentDirectory,
  SerialQueue,
  type ExecService,
  type Logger,
  type ModeFix,
} from '../../sdk/index.js';
import { reloadMaster, testMaster, type FpmMaster } from './master.js';
import { POOL_MARKER } from './pool.js';

/** Outcome of a pool change. */
export interface PoolChange {
  changed: boolean;
  /** False when the master was not running (the pool loads when it starts) or nothing changed. */
  reloaded: boolean;
  message: string;
}

/**
 * Pool files of the php-fpm masters, changed one at a time with test-then-swap safety: the new
 * pool is tested alone (`php-fpm -t` on a temp master config), swapped in with the previous file
 * kept, the whole master config tested again, the master reloaded; on any failure the previous
 * file is back and the master reloaded with it.
 */
export class FpmPools {
  private readonly queue = new SerialQueue();

  constructor(
    private readonly exec: ExecService,
    private readonly logger: Logger,
  ) {}

  private dir(m: FpmMaster): FragmentDirectory {
    return new FragmentDirectory(m.poolDir, '.conf', POOL_MARKER);
  }

  /** Undo swaps a crash interrupted (run at start); returns the files restored. */
  prepare(m: FpmMaster): number {
    return this.dir(m).prepare();
  }

  /** Narrow managed pool files that drifted wider than 0640 (run at start); returns what was fixed. */
  tightenModes(m: FpmMaster): ModeFix[] {
    return this.dir(m).tightenModes();
  }

  /** Content of a managed pool file, or null (absent, or not written by the panel). */
  read(m: FpmMaster, file: string): string | null {
    try {
      const text = readFileSync(path.join(m.poolDir, file), 'utf8');
      return text.startsWith(POOL_MARKER) ? text : null;
    } catch {
      return null;
    }
  }

  /** Names of the managed pool files of a master. */
  list(m: FpmMaster): string[] {
    const dir = this.dir(m);
    let names: string[];
    try {
      names = readdirSync(m.poolDir);
    } catch {
      return [];
    }
    return names.filter((f) => dir.isName(f) && this.read(m, f) !== null);
  }

  /** Write (content) or remove (null) one pool file, serialised with every other change. */
  change(m: FpmMaster, file: string, content: string | null, socket: string): Promise<PoolChange> {
    return this.queue.run(() => this.changeNow(m, file, content, socket));
  }

  private async changeNow(m: FpmMaster, file: string, content: string | null, socket: string): Promise<PoolChange> {
    const dir = this.dir(m);
    if (!dir.isName(file)) throw errors.internal(`php: invalid pool file name ${file}`);
    const current = this.read(m, file);
    if (current === content) return { changed: false, reloaded: false, message: 'pool unchanged' };
    if (current === null && content !== null) this.refuseForeign(m, file);
    if (content !== null) await this.testAlone(m, content);
    dir.prepare();
    const swap = dir.swap(
      content === null ? { write: [], remove: [file] } : { write: [{ name: file, content }], remove: [] },
    );
    let reloading = false;
    try {
      if (m.config) {
        const t = await testMaster(this.exec, m);
        if (!t.ok)
          throw errors
            .externalCommand(`php-fpm ${m.version} rejected the pool configuration`)
            .withAdminDetail(t.message);
      }
      reloading = true;
      const r = await reloadMaster(this.exec, m, { path: socket, present: content !== null });
      swap.commit();
      return { changed: true, ...r };
    } catch (e) {
      swap.rollback();
      if (reloading)
        await reloadMaster(this.exec, m, null).catch((err: Error) =>
          this.logger.error('php-fpm reload after rollback failed', { version: m.version, error: err.message }),
        );
      throw e;
    }
  }

  /** A file of that name the panel did not write (an operator's pool) is never overwritten. */
  private refuseForeign(m: FpmMaster, file: string): void {
    try {
      readFileSync(path.join(m.poolDir, file));
    } catch {
      return;
    }
    throw errors.conflict(`${path.join(m.poolDir, file)} exists and was not written by VeloPanel; it is left alone`);
  }

  /** `php-fpm -t` on a throwaway master config holding only the new pool. */
  private async testAlone(m: FpmMaster, content: string): Promise<void> {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'velopanel-fpm-'));
    try {
      const conf = path.join(tmp, 'php-fpm.conf');
      writeFileSync(conf, `[global]\nerror_log = ${tmp}/error.log\n\n${content}`, { mode: 0o600 });
      const t = await testMaster(this.exec, { ...m, prefix: '' }, conf);
      if (!t.ok) throw errors.externalCommand(`php-fpm ${m.version} rejected the pool`).withAdminDetail(t.message);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}
