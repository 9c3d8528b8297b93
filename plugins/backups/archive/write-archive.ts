import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { errors, type AccountDatabase, type AccountInfo, type DatabaseEngine } from '../../../sdk/index.js';
import type { CarriedCredential } from '../credentials.js';
import { dumpChunkName, type Manifest, type ManifestDatabase } from '../manifest.js';
import { DumpChunks } from './dump-chunks.js';
import { fdReader, walkHome } from './home-walk.js';
import { HomeLinks } from './links.js';
import { ParallelGzip, type ParallelGzipOptions } from './parallel-gzip.js';
import { PartDigest, TarWriter } from './tar-writer.js';
import type { TarHeader } from './tar-header.js';

/** Everything that goes into one archive. */
export interface ArchiveInput {
  account: AccountInfo;
  /** Every database of the account with the engine that dumps it, and its user's verifier (or why there is none). */
  databases: { db: AccountDatabase; engine: DatabaseEngine; carried?: CarriedCredential }[];
  /** Manifest fields known before the parts are written. */
  manifest: Omit<Manifest, 'files' | 'databases'>;
  compression?: ParallelGzipOptions;
  /** Bytes per database chunk entry (default 4 MiB). */
  dumpChunkSize?: number;
  /** Signs the finished manifest (written into it as `signature`). */
  sign?: (m: Manifest) => Manifest['signature'];
  /** Called with uncompressed bytes written so far. */
  onProgress?: (bytes: number) => void;
  signal?: AbortSignal;
}

/** A running archive: the compressed stream and, once it ended, the manifest written into it. */
export interface ArchiveOutput {
  stream: Readable;
  manifest: Promise<Manifest>;
}

const MAX_SKIPPED_LISTED = 100;

/**
 * Write an account backup as one streamed `.tar.gz`: `home/…` (modes, owners, times and inner
 * symlinks), then `databases/<engine>/<db>.sql.NNNNNN` chunks of each dump, then `manifest.json`
 * with the size and SHA-256 of every part. Memory stays bounded whatever the size.
 */
export function writeArchive(input: ArchiveInput): ArchiveOutput {
  const gzip = new ParallelGzip(input.compression);
  const writer = new TarWriter(gzip);
  let settled = false;
  const manifest = produce(input, gzip, writer).then(
    (m) => {
      settled = true;
      return m;
    },
    (e: Error) => {
      settled = true;
      writer.destroy(e);
      gzip.destroy(e);
      throw e;
    },
  );
  manifest.catch(() => undefined);
  const stream = Readable.from(gzip.output(), { objectMode: false, highWaterMark: 1 });
  stream.on('close', () => {
    if (!settled) gzip.destroy(new Error('the archive stream was closed before the end'));
  });
  return { stream, manifest };
}

async function produce(input: ArchiveInput, gzip: ParallelGzip, writer: TarWriter): Promise<Manifest> {
  const { account } = input;
  const check = () => {
    if (input.signal?.aborted) throw new Error('Cancelled');
  };
  const report = () => input.onProgress?.(gzip.bytesIn);
  const home = new PartDigest();
  const links = new HomeLinks(account.home_dir);
  const skipped: { path: string; reason: string }[] = [];
  let skippedCount = 0;
  let entries = 0;
  let contentBytes = 0;
  const header = (
    rel: string,
    st: { mode: number; uid: number; gid: number; mtimeMs: number },
    type: TarHeader['type'],
    size = 0,
    linkname = '',
  ): TarHeader => ({
    name: rel ? `home/${rel}` : 'home',
    type,
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    uname: account.uid !== null && st.uid === account.uid ? account.username : '',
    gname: '',
    size,
    mtime: Math.floor(st.mtimeMs / 1000),
    linkname,
  });
  await writer.openPart(home);
  await walkHome(account.home_dir, account.uid, {
    directory: async (rel, st) => {
      check();
      entries++;
      await writer.add(header(rel, st, 'directory'));
    },
    symlink: async (rel, st, target) => {
      const escape = links.escape(rel, target, false);
      if (escape) return void note(rel, `symbolic link ${escape}`);
      links.add(rel, target);
      entries++;
      await writer.add(header(rel, st, 'symlink', 0, target));
    },
    file: async (rel, st, fd) => {
      check();
      entries++;
      contentBytes += st.size;
      await writer.addStreamed(header(rel, st, 'file', st.size), fdReader(fd));
      report();
    },
    skipped: (rel, reason) => note(rel, reason),
  });
  function note(rel: string, reason: string): void {
    skippedCount++;
    if (skipped.length < MAX_SKIPPED_LISTED) skipped.push({ path: `/${rel}`, reason });
  }
  await writer.openPart(null);
  const databases: ManifestDatabase[] = [];
  for (const { db, engine, carried } of input.databases) {
    check();
    const digest = createHash('sha256');
    let bytes = 0;
    const chunks = new DumpChunks(
      async (content, index) => {
        digest.update(content);
        bytes += content.length;
        await writer.add(
          {
            name: dumpChunkName(db.engine, db.database, index),
            type: 'file',
            mode: 0o600,
            uid: 0,
            gid: 0,
            uname: '',
            gname: '',
            size: content.length,
            mtime: Math.floor(Date.now() / 1000),
            linkname: '',
          },
          content,
        );
        report();
      },
      input.dumpChunkSize ?? 4 * 1024 * 1024,
    );
    try {
      await engine.dump(db.database, chunks);
    } catch (e) {
      // The tool's words (a socket, a host) stay admin detail; the account reads which dump failed.
      throw errors.externalCommand(`Dump of database ${db.database} (${engine.name}) failed`).withCause(e);
    }
    databases.push({
      engine: db.engine,
      database: db.database,
      user: db.user,
      chunks: chunks.chunks,
      bytes,
      sha256: digest.digest('hex'),
      ...carried,
    });
  }
  const manifest: Manifest = {
    ...input.manifest,
    files: {
      entries,
      bytes: home.bytes,
      content_bytes: contentBytes,
      sha256: home.hex(),
      skipped,
      skipped_count: skippedCount,
    },
    databases,
  };
  if (input.sign) manifest.signature = input.sign(manifest);
  const json = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
  await writer.add(
    {
      name: 'manifest.json',
      type: 'file',
      mode: 0o600,
      uid: 0,
      gid: 0,
      uname: '',
      gname: '',
      size: json.length,
      mtime: Math.floor(Date.now() / 1000),
      linkname: '',
    },
    json,
  );
  await writer.end();
  await gzip.finish();
  report();
  return manifest;
}
