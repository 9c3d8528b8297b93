import { createHash } from 'node:crypto';
import { Readable, type Writable } from 'node:stream';
import { MAX_MANIFEST_BYTES } from '../manifest.js';
import { classifyEntry } from './entries.js';
import { HomeLinks } from './links.js';
import { inflateArchive } from './parallel-gunzip.js';
import { ArchiveError } from './tar-decode.js';
import { TarReader, type TarEntry } from './tar-reader.js';
import { PartDigest } from './tar-writer.js';

/** A database part as found in the archive. */
export interface FoundDatabase {
  engine: string;
  database: string;
  chunks: number;
  bytes: number;
  sha256: string;
}

/** What a scan computed from the raw archive (nothing here comes from the manifest). */
export interface ScannedArchive {
  manifestText: string;
  home: { sha256: string; bytes: number; entries: number; fileBytes: number; setuid: number };
  databases: FoundDatabase[];
  links: HomeLinks;
}

async function* countBytes(source: AsyncIterable<Buffer>, onRead: (total: number) => void): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const c of source) {
    total += c.length;
    onRead(total);
    yield c;
  }
}

/** Optional consumers of content while scanning (used by the extracting pass). */
export interface ScanHandlers {
  /** Compressed bytes read so far (progress). */
  onRead?(total: number): void;
  /** Every home entry in order; `data` (files only) must be read to the end. */
  home?(
    rel: string,
    entry: TarEntry,
    kind: 'file' | 'directory' | 'symlink',
    data: AsyncIterable<Buffer> | null,
  ): Promise<void>;
  /** Where a database's dump goes (null: nowhere); ended by the scan after its last chunk. */
  databaseStart?(engine: string, database: string): Writable | null;
  /** After a database's last chunk, with its computed size and checksum. */
  databaseEnd?(found: FoundDatabase, sink: Writable | null): Promise<void>;
}

/** Limits of one scan. */
export interface ScanLimits {
  /** Uncompressed bytes after which the archive is refused (compression bombs). */
  expandBytes: number;
  /** What set `expandBytes`, for the refusal (default: the account's limit). */
  expandLimit?: string;
  /** Sum of file sizes in the home allowed (the account's quota), null for none. */
  fileBytes: number | null;
  /** Members inflated at once on libuv's thread pool (default 1; at most the pool's size less one). */
  threads?: number;
}

/** Write with backpressure; a sink that died (its consumer failed) just stops receiving. */
async function writeTo(sink: Writable | null, piece: Buffer): Promise<void> {
  if (!sink || sink.destroyed || sink.writableEnded) return;
  if (sink.write(piece)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      sink.off('drain', done);
      sink.off('close', done);
      resolve();
    };
    sink.on('drain', done);
    sink.on('close', done);
  });
}

/**
 * Read a backup archive once, front to back, checking every header (names, types, links, order,
 * quota, expansion) and computing the size and SHA-256 of every part from the raw bytes. Throws
 * {@link ArchiveError} with the reason on the first problem.
 */
export async function scanArchive(
  source: Readable,
  limits: ScanLimits,
  handlers: ScanHandlers = {},
): Promise<ScannedArchive> {
  const input = handlers.onRead ? Readable.from(countBytes(source, handlers.onRead)) : source;
  const inflated = inflateArchive(input, limits.threads ?? 1);
  const reader = new TarReader(inflated, limits.expandBytes, limits.expandLimit);
  const home = new PartDigest();
  const links = new HomeLinks('');
  const stats = { entries: 0, fileBytes: 0, setuid: 0 };
  const databases: FoundDatabase[] = [];
  let phase: 'start' | 'home' | 'databases' | 'end' = 'start';
  let db: { found: FoundDatabase; hash: ReturnType<typeof createHash>; sink: Writable | null } | null = null;
  let manifestText: string | null = null;
  const closeDb = async () => {
    if (!db) return;
    db.found.sha256 = db.hash.digest('hex');
    databases.push(db.found);
    const { sink, found } = db;
    db = null;
    await handlers.databaseEnd?.(found, sink);
  };
  try {
    for (let entry = await reader.next(); entry; entry = await reader.next()) {
      if (manifestText !== null) throw new ArchiveError('entries follow manifest.json (it must be the last entry)');
      const c = classifyEntry(entry);
      if (c.part === 'home') {
        if (phase === 'start' && c.rel !== '') throw new ArchiveError('the archive must start with the home directory');
        if (phase !== 'start' && phase !== 'home')
          throw new ArchiveError(`home entry ${entry.name} comes after the database parts`);
        if (phase === 'home' && c.rel === '') throw new ArchiveError('the home directory appears twice');
        phase = 'home';
        const under = links.underLink(c.rel);
        if (under) throw new ArchiveError(`home/${c.rel} lies under the symbolic link home/${under}`);
        if (c.kind === 'symlink') links.add(c.rel, entry.linkname);
        if (c.kind === 'file') stats.fileBytes += entry.size;
        if (limits.fileBytes !== null && stats.fileBytes > limits.fileBytes)
          throw new ArchiveError(
            `the backup's files exceed the account's disk quota (${Math.ceil(limits.fileBytes / 1048576)} MB)`,
          );
        if (entry.mode & 0o6000) stats.setuid++;
        stats.entries++;
        for (const b of entry.raw) home.update(b);
        reader.tap = (b) => home.update(b);
        const data = c.kind === 'file' ? reader.data(entry) : null;
        if (handlers.home) await handlers.home(c.rel, entry, c.kind, data);
        if (data) for await (const _ of data) void _;
        reader.tap = null;
      } else if (c.part === 'database') {
        if (phase === 'start') throw new ArchiveError('the archive must start with the home directory');
        phase = 'databases';
        if (!db || db.found.engine !== c.engine || db.found.database !== c.database) {
          await closeDb();
          if (databases.some((d) => d.database === c.database))
            throw new ArchiveError(`the dump of ${c.database} is split apart`);
          db = {
            found: { engine: c.engine, database: c.database, chunks: 0, bytes: 0, sha256: '' },
            hash: createHash('sha256'),
            sink: handlers.databaseStart?.(c.engine, c.database) ?? null,
          };
        }
        if (c.index !== db.found.chunks + 1)
          throw new ArchiveError(`chunk ${c.index} of the dump of ${c.database} is out of order`);
        db.found.chunks++;
        db.found.bytes += entry.size;
        for await (const piece of reader.data(entry)) {
          db.hash.update(piece);
          await writeTo(db.sink, piece);
        }
      } else {
        await closeDb();
        if (entry.size > MAX_MANIFEST_BYTES) throw new ArchiveError('manifest.json is too large');
        const parts: Buffer[] = [];
        for await (const piece of reader.data(entry)) parts.push(Buffer.from(piece));
        manifestText = Buffer.concat(parts).toString('utf8');
        phase = 'end';
      }
    }
    await closeDb();
    await reader.expectEnd();
  } catch (e) {
    if (db) (db as { sink: Writable | null }).sink?.destroy(new Error('the archive could not be read to the end'));
    await inflated.return(undefined).catch(() => undefined);
    source.destroy();
    throw asArchiveError(e);
  }
  if (manifestText === null) throw new ArchiveError('manifest.json is missing');
  return { manifestText, home: { sha256: home.hex(), bytes: home.bytes, ...stats }, databases, links };
}

/**
 * zlib's own failures (every one carries a `Z_` code: `Z_DATA_ERROR` for "incorrect header check"
 * or "invalid block type", `Z_BUF_ERROR` for "unexpected end of file") are the archive's damage,
 * told in zlib's fixed words. Anything else passes on as it is, however it is worded: a target's
 * read breaking off with its own words (which may name its directory) has no code, and a restore
 * tells such text to admins only. The parallel inflater makes its members' failures ArchiveErrors.
 */
function asArchiveError(e: unknown): Error {
  if (e instanceof ArchiveError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('Z_'))
    return new ArchiveError(`the archive is not valid gzip data (corrupted): ${(e as Error).message}`);
  return e as Error;
}
