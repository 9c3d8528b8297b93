import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errors, FragmentDirectory, type ExecService, type Logger, type ModeFix } from '../../sdk/index.js';
import { reloadMaster, testMaster, type FpmMaster } from './master.js';
import { PoolBatches } from './pool-batches.js';
import { testStaged } from './staged-test.js';
import { POOL_MARKER } from './pool.js';

/** Outcome of a pool change. */
export interface PoolChange {
  changed: boolean;
  /** False when the master was not running (the pool loads when it starts) or nothing changed. */
  reloaded: boolean;
  message: string;
}

/** One pool file to write (content) or remove (null), and the socket its pool listens on. */
export interface PoolFileChange {
  file: string;
  content: string | null;
  socket: string;
}

/**
 * Pool files of the php-fpm masters, changed with test-then-swap safety: the master config as it
 * will be is tested (staged, see {@link testStaged}; where that cannot be staged, the new pool is
 * tested alone and the whole master config again after the swap), the files swapped in with the
 * previous ones kept, the master reloaded; on any failure the previous files are back and the
 * master reloaded with them. Changes asked for together share one of each (see {@link PoolBatches}).
 */
export class FpmPools {
  private readonly batches = new PoolBatches(
    (m, changes) => this.changeNow(m, changes),
    (m, c) => this.read(m, c.file) !== c.content,
  );

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

  /** Write (content) or remove (null) one pool file; answered once it is live. */
  change(m: FpmMaster, file: string, content: string | null, socket: string): Promise<PoolChange> {
    return this.changeMany(m, [{ file, content, socket }]);
  }

  /**
   * Several pool files of one master as one change (new accounts' pools made together): tested
   * together, swapped together, one master test and one reload for all; all or nothing. Other
   * changes asked for meanwhile join the same test and reload.
   */
  changeMany(m: FpmMaster, changes: PoolFileChange[]): Promise<PoolChange> {
    return this.batches.request(m, changes);
  }

  private async changeNow(m: FpmMaster, changes: PoolFileChange[]): Promise<PoolChange> {
    const dir = this.dir(m);
    for (const c of changes) if (!dir.isName(c.file)) throw errors.internal(`php: invalid pool file name ${c.file}`);
    const todo = changes.filter((c) => this.read(m, c.file) !== c.content);
    if (todo.length === 0) return { changed: false, reloaded: false, message: 'pool unchanged' };
    for (const c of todo) if (c.content !== null && this.read(m, c.file) === null) this.refuseForeign(m, c.file);
    const written = todo.filter((c): c is PoolFileChange & { content: string } => c.content !== null);
    // The whole result tested before the swap when the master config allows it (see testStaged).
    const staged = await testStaged(this.exec, m, todo);
    if (staged && !staged.ok) throw this.rejected(m, staged.message);
    if (!staged && written.length) await this.testAlone(m, written.map((c) => c.content).join('\n\n'));
    dir.prepare();
    const swap = dir.swap({
      write: written.map((c) => ({ name: c.file, content: c.content })),
      remove: todo.filter((c) => c.content === null).map((c) => c.file),
    });
    let reloading = false;
    try {
      if (m.config && !staged) {
        const t = await testMaster(this.exec, m);
        if (!t.ok) throw this.rejected(m, t.message);
      }
      reloading = true;
      const r = await reloadMaster(
        this.exec,
        m,
        todo.map((c) => ({ path: c.socket, present: c.content !== null })),
      );
      swap.commit();
      return { changed: true, ...r };
    } catch (e) {
      swap.rollback();
      if (reloading)
        await reloadMaster(this.exec, m, []).catch((err: Error) =>
          this.logger.error('php-fpm reload after rollback failed', { version: m.version, error: err.message }),
        );
      throw e;
    }
  }

  private rejected(m: FpmMaster, message: string) {
    return errors.externalCommand(`php-fpm ${m.version} rejected the pool configuration`).withAdminDetail(message);
  }

  /** A file of that name the panel did not write (an operator's pool) is never overwritten. */
  private refuseForeign(m: FpmMaster, file: string): void {
    try {
      readFileSync(path.join(m.poolDir, file));
    } catch {
      return;
    }
    // The pool directory is the server's: its path is for admins only (tenants write pools too).
    throw errors
      .conflict(`The PHP-FPM pool file ${file} exists and was not written by VeloPanel; it is left alone`)
      .withAdminDetail(path.join(m.poolDir, file));
  }

  /** `php-fpm -t` on a throwaway master config holding only the new pool(s). */
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
