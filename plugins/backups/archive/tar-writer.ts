import { createHash, type Hash } from 'node:crypto';
import tar from 'tar-stream';
import { libraryHeader, type TarHeader } from './tar-header.js';

/** Where tar bytes go: {@link ParallelGzip} or any sink with the same call. */
export interface ByteSink {
  /** Sees every byte written (part checksums). */
  tap: ((bytes: Buffer) => void) | null;
  bytesIn: number;
  write(data: Uint8Array): Promise<void>;
}

/** Checksum and size of one part (the home tree, one database dump) over its exact tar bytes or content. */
export class PartDigest {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;

  update(b: Buffer): void {
    this.hash.update(b);
    this.bytes += b.length;
  }

  hex(): string {
    return this.hash.digest('hex');
  }
}

const RECORD = 512 * 20;
const ZEROS = Buffer.alloc(RECORD);
/** Bytes read from a file per piece handed to the pack. */
const READ_PIECE = 64 * 1024;
/** Read buffers kept for reuse at most (what the pack buffers before it pushes back, and some). */
const FREE_PIECES = 64;

/** Resolves when a pack entry takes writes again, or is gone. */
function drained(sink: ReturnType<ReturnType<typeof tar.pack>['entry']>): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      sink.off('drain', done).off('close', done);
      resolve();
    };
    sink.on('drain', done).on('close', done);
  });
}
/**
 * Writes tar entries (tar-stream's pack) into a sink. While a part is open every byte written
 * (headers, data and padding) goes into its digest, so a reader can recompute the part's
 * checksum from the raw archive without trusting any header. The pack's output is copied into
 * the sink as it comes; a part opens or closes only once all earlier output reached the sink.
 */
export class TarWriter {
  private readonly pack = tar.pack();
  private readonly pumped: Promise<void>;
  /** Called when the pump found nothing left to read (everything pushed so far is in the sink). */
  private onIdle: (() => void) | null = null;
  /** Buffers of streamed files' pieces held by the pack, and those copied out, to read into again. */
  private readonly ours = new Set<ArrayBuffer>();
  private readonly free: ArrayBuffer[] = [];
  /** Wakes the pump (while it waits for output). */
  private poke: () => void = () => undefined;

  constructor(private readonly sink: ByteSink) {
    this.pumped = this.pump();
    this.pumped.catch(() => undefined);
  }

  private async pump(): Promise<void> {
    const pack = this.pack;
    let ended = false;
    let failed: Error | null = null;
    let wake: (() => void) | null = null;
    const poke = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    // Listened to for good: 'end' is emitted inside a read(), before a waiting pump would listen.
    pack
      .on('readable', poke)
      .on('end', () => ((ended = true), poke()))
      .on('close', () => ((ended = true), poke()));
    pack.on('error', (e: Error) => ((failed = e), poke()));
    this.poke = poke;
    try {
      for (;;) {
        let chunk: Buffer | null;
        while ((chunk = pack.read() as Buffer | null) !== null) {
          await this.sink.write(chunk);
          // Copied into the sink: a piece of a streamed file is read into again.
          if (this.ours.delete(chunk.buffer as ArrayBuffer) && this.free.length < FREE_PIECES)
            this.free.push(chunk.buffer as ArrayBuffer);
        }
        this.onIdle?.();
        if (failed) throw failed;
        if (ended) return;
        await new Promise<void>((r) => (wake = r));
      }
    } catch (e) {
      // The sink failed (or the pack did): entries waiting on the pack fail with it.
      pack.destroy(e as Error);
      throw e;
    }
  }

  /** Wait until every byte of the entries added so far is in the sink. */
  private idle(): Promise<void> {
    const idle = new Promise<void>((resolve) => {
      this.onIdle = () => {
        this.onIdle = null;
        resolve();
      };
      // The pump may be waiting for a 'readable' not yet emitted: it reads until nothing is left.
      this.poke();
    });
    return Promise.race([idle, this.pumped.then(() => Promise.reject(new Error('the archive was already ended')))]);
  }

  /** Start hashing every byte into `digest` (null: stop), from the next entry on. */
  async openPart(digest: PartDigest | null): Promise<void> {
    await this.idle();
    this.sink.tap = digest ? (b) => digest.update(b) : null;
  }

  private entry(h: TarHeader, content?: Uint8Array): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      this.pack.entry(libraryHeader(h), content ?? Buffer.alloc(0), (e) => (e ? reject(e) : resolve())),
    );
  }

  /** A directory, a symlink, or a file with its content in memory (free to reuse once this resolves). */
  async add(h: TarHeader, content?: Uint8Array): Promise<void> {
    if (h.type !== 'file') return this.entry(h);
    await this.entry(h, content);
    // The pack keeps `content` itself until the pump copied it: wait for that.
    await this.idle();
  }

  /**
   * A file read piece by piece. A file that shrank since its size was taken is padded with
   * zeros (as GNU tar does); one that grew is cut at the size in its header.
   */
  async addStreamed(
    h: TarHeader,
    read: (buf: Buffer, offset: number, length: number) => Promise<number>,
  ): Promise<{ short: number }> {
    let settle!: (e?: Error | null) => void;
    const done = new Promise<void>((resolve, reject) => (settle = (e) => (e ? reject(e) : resolve())));
    const sink = this.pack.entry(libraryHeader(h), settle);
    let got = 0;
    try {
      while (got < h.size) {
        // The pack holds each piece until the pump has copied it into the sink, which frees it.
        const buf = this.free.pop() ?? new ArrayBuffer(READ_PIECE);
        this.ours.add(buf);
        const piece = Buffer.from(buf, 0, Math.min(READ_PIECE, h.size - got));
        const n = await read(piece, 0, piece.length);
        if (n <= 0) {
          this.ours.delete(buf);
          this.free.push(buf);
          break;
        }
        got += n;
        if (!sink.write(n === piece.length ? piece : piece.subarray(0, n))) await drained(sink);
        if (sink.destroyed) break;
      }
      if (!sink.destroyed) {
        for (let z = h.size - got; z > 0; z -= RECORD) sink.write(ZEROS.subarray(0, Math.min(z, RECORD)));
        sink.end(undefined);
      }
    } catch (e) {
      done.catch(() => undefined);
      sink.destroy(e as Error);
      throw e;
    }
    await done;
    return { short: h.size - got };
  }

  /** End-of-archive marker, padded to a whole 10 KiB record like GNU tar; resolves once all is in the sink. */
  async end(): Promise<void> {
    await this.openPart(null);
    this.pack.finalize();
    await this.pumped;
    const rest = (RECORD - (this.sink.bytesIn % RECORD)) % RECORD;
    if (rest) await this.sink.write(ZEROS.subarray(0, rest));
  }

  /** Stop: the pack and its pump end with `e`. */
  destroy(e: Error): void {
    this.pack.destroy(e);
  }
}
