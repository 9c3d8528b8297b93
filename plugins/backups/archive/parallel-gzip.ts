import { Worker } from 'node:worker_threads';
import { GZIP_WORKER_SOURCE } from './gzip-worker.js';

interface WorkerAnswer {
  seq: number;
  out?: ArrayBuffer;
  offset?: number;
  length?: number;
  error?: string;
  buf: ArrayBuffer;
}

/** Settings of {@link ParallelGzip}. */
export interface ParallelGzipOptions {
  /** Worker threads compressing at once (default 2). */
  threads?: number;
  /** zlib level 1–9 (default 6, gzip's default). */
  level?: number;
  /** Bytes of input per gzip member (default 1 MiB). */
  chunkSize?: number;
}

/**
 * gzip with every core: the input is cut into fixed-size chunks, each compressed in a worker
 * thread as an independent gzip member; members are emitted in order, and concatenated members
 * are one valid gzip file (RFC 1952) that gunzip, tar and zlib read as a whole. Memory is bounded
 * by a window of chunks in flight; `tap` sees every input byte (for checksums).
 */
export class ParallelGzip {
  /** Receives every input byte as it is written. */
  tap: ((bytes: Buffer) => void) | null = null;
  bytesIn = 0;
  bytesOut = 0;
  private readonly chunkSize: number;
  private readonly window: number;
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { seq: number; buf: ArrayBuffer; len: number }[] = [];
  private readonly free: ArrayBuffer[] = [];
  private readonly results = new Map<number, Buffer>();
  private chunk: Buffer;
  private pos = 0;
  private submitted = 0;
  private emitted = 0;
  private finished = false;
  private failure: Error | null = null;
  private wake: (() => void)[] = [];

  constructor(opts: ParallelGzipOptions = {}) {
    const threads = Math.max(1, opts.threads ?? 2);
    this.chunkSize = opts.chunkSize ?? 1024 * 1024;
    // One chunk compressing and one queued per worker keeps every core busy; more only costs memory.
    this.window = threads * 2;
    for (let i = 0; i < threads; i++) {
      // No inherited flags: `--input-type=module` would turn this CommonJS source into a module.
      const w = new Worker(GZIP_WORKER_SOURCE, { eval: true, execArgv: [], workerData: { level: opts.level ?? 6 } });
      w.on('message', (m: WorkerAnswer) => this.done(w, m));
      w.on('error', (e) => this.destroy(e));
      this.workers.push(w);
      this.idle.push(w);
    }
    this.chunk = this.newChunk();
  }

  private newChunk(): Buffer {
    return Buffer.from(this.free.pop() ?? new ArrayBuffer(this.chunkSize));
  }

  private notify(): void {
    const w = this.wake;
    this.wake = [];
    for (const fn of w) fn();
  }

  private async until(ready: () => boolean): Promise<void> {
    while (!ready()) {
      if (this.failure) throw this.failure;
      await new Promise<void>((r) => this.wake.push(r));
    }
    if (this.failure) throw this.failure;
  }

  private done(w: Worker, m: WorkerAnswer): void {
    if (this.free.length < this.window) this.free.push(m.buf);
    if (m.error !== undefined) return this.destroy(new Error(`compression failed: ${m.error}`));
    this.results.set(m.seq, Buffer.from(m.out!, m.offset, m.length));
    const next = this.queue.shift();
    if (next) w.postMessage(next, [next.buf]);
    else this.idle.push(w);
    this.notify();
  }

  private async flush(): Promise<void> {
    if (this.pos === 0) return;
    await this.until(() => this.submitted - this.emitted < this.window);
    const job = { seq: this.submitted++, buf: this.chunk.buffer as ArrayBuffer, len: this.pos };
    this.chunk = this.newChunk();
    this.pos = 0;
    const w = this.idle.pop();
    if (w) w.postMessage(job, [job.buf]);
    else this.queue.push(job);
  }

  /** Append bytes (copied into the current chunk). */
  async write(data: Uint8Array): Promise<void> {
    let off = 0;
    while (off < data.length) {
      const n = Math.min(data.length - off, this.chunkSize - this.pos);
      this.chunk.set(data.subarray(off, off + n), this.pos);
      this.tap?.(this.chunk.subarray(this.pos, this.pos + n));
      this.pos += n;
      off += n;
      this.bytesIn += n;
      if (this.pos === this.chunkSize) await this.flush();
    }
  }

  /** Let `read` fill up to `length` bytes straight into chunk memory; returns bytes read (less at EOF). */
  async writeFrom(length: number, read: (buf: Buffer, offset: number, length: number) => Promise<number>): Promise<number> {
    let total = 0;
    while (total < length) {
      const n = await read(this.chunk, this.pos, Math.min(length - total, this.chunkSize - this.pos));
      if (n <= 0) break;
      this.tap?.(this.chunk.subarray(this.pos, this.pos + n));
      this.pos += n;
      total += n;
      this.bytesIn += n;
      if (this.pos === this.chunkSize) await this.flush();
    }
    return total;
  }

  /** No more input: compress the last chunk. */
  async finish(): Promise<void> {
    await this.flush();
    this.finished = true;
    this.notify();
  }

  /** Stop everything; pending and future calls reject with `e`. */
  destroy(e: Error): void {
    if (!this.failure) this.failure = e;
    this.notify();
    this.close();
  }

  private close(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }

  /** Compressed members in order; ends after {@link finish}. */
  async *output(): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        await this.until(() => this.results.has(this.emitted) || (this.finished && this.emitted === this.submitted));
        const out = this.results.get(this.emitted);
        if (!out) return;
        this.results.delete(this.emitted++);
        this.bytesOut += out.length;
        this.notify();
        yield out;
      }
    } finally {
      this.close();
    }
  }
}
