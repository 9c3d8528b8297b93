import fs from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { PluginContext } from '../../sdk/index.js';
import type { FoundDatabase } from './archive/scan-archive.js';

/** Where restores keep dumps until their archive is verified (emptied at start-up: a kill leaves nothing to finish there). */
export const spoolRoot = (ctx: PluginContext) => path.join(ctx.settings.dataDir, 'backups-restore-spool');

interface Spooled {
  file: string;
  sink: fs.WriteStream;
  error: Error | null;
  bytes: number | null;
}

/**
 * Database dumps of an archive being restored, written aside while the one pass over the archive
 * extracts the home and computes every checksum: no engine sees a byte before the whole archive
 * is verified against its manifest. One private directory (0700, files 0600) per restore,
 * removed when it ends.
 */
export class DumpSpool {
  private readonly dumps = new Map<string, Spooled>();

  private constructor(readonly dir: string) {}

  static async open(ctx: PluginContext): Promise<DumpSpool> {
    const root = spoolRoot(ctx);
    await fs.promises.mkdir(root, { recursive: true, mode: 0o700 });
    return new DumpSpool(await fs.promises.mkdtemp(path.join(root, 'restore-')));
  }

  /** Where the dump of `database` goes as the scan reads it. */
  start(database: string): Writable {
    const file = path.join(this.dir, `${this.dumps.size}.sql`);
    const sink = fs.createWriteStream(file, { flags: 'wx', mode: 0o600, highWaterMark: 1024 * 1024 });
    const spooled: Spooled = { file, sink, error: null, bytes: null };
    sink.on('error', (e) => (spooled.error ??= e));
    this.dumps.set(database, spooled);
    return sink;
  }

  /** After the dump's last chunk: wait until it is on disk, remembering what was written. */
  async end(found: FoundDatabase): Promise<void> {
    const s = this.dumps.get(found.database);
    if (!s) return;
    s.sink.end();
    await finished(s.sink).catch((e: Error) => (s.error ??= e));
    s.bytes = s.sink.bytesWritten;
  }

  /** The verified dump of `database` to load, or why there is none (a write failed, or it is short). */
  read(found: FoundDatabase): Readable | string {
    const s = this.dumps.get(found.database);
    if (!s) return 'the archive could not be read up to its dump';
    if (s.error) return `the dump could not be set aside before loading: ${s.error.message}`;
    if (s.bytes !== found.bytes) return 'the dump set aside before loading is incomplete';
    return fs.createReadStream(s.file, { highWaterMark: 1024 * 1024 });
  }

  async remove(): Promise<void> {
    for (const s of this.dumps.values()) s.sink.destroy();
    await fs.promises.rm(this.dir, { recursive: true, force: true });
  }
}
