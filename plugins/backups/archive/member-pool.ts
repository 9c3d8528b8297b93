import { Worker } from 'node:worker_threads';
import { GZIP_WORKER_SOURCE } from './gzip-worker.js';
import { MemberWindow } from './member-window.js';

/** What the workers run, and what a failure of theirs becomes. */
export interface MemberWork {
  source: string;
  workerData?: unknown;
  failure(message: string): Error;
}

/** Compression into gzip members at `level` (the default work). */
export const compressing = (level: number): MemberWork => ({
  source: GZIP_WORKER_SOURCE,
  workerData: { level },
  failure: (m) => new Error(`compression failed: ${m}`),
});

interface WorkerAnswer {
  seq: number;
  /** A piece that goes before `out` (a member's header). */
  head?: ArrayBuffer;
  out?: ArrayBuffer;
  offset?: number;
  length?: number;
  error?: string;
  buf: ArrayBuffer;
}

/**
 * Worker threads that turn chunks into gzip members, answered in submission order. At most
 * `threads × 2` jobs are in flight (one working and one queued per worker; more only costs
 * memory); input buffers come back for reuse. Used by {@link ParallelGzip} (a restore inflates
 * on libuv's pool instead: see MemberInflater).
 */
export class MemberPool extends MemberWindow {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { seq: number; buf: ArrayBuffer; len: number }[] = [];
  private readonly answers = new Map<number, Buffer[]>();
  private submitted = 0;
  private emitted = 0;

  constructor(
    threads: number,
    private readonly work: MemberWork = compressing(6),
  ) {
    super(Math.max(1, threads) * 2);
    for (let i = 0; i < Math.max(1, threads); i++) {
      // No inherited flags: `--input-type=module` would turn this CommonJS source into a module.
      const w = new Worker(work.source, { eval: true, execArgv: [], workerData: work.workerData });
      w.on('message', (m: WorkerAnswer) => this.done(w, m));
      w.on('error', (e) => this.destroy(e));
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  private done(w: Worker, m: WorkerAnswer): void {
    this.recycle(m.buf);
    if (m.error !== undefined) return this.destroy(this.work.failure(m.error));
    const out = Buffer.from(m.out!, m.offset, m.length);
    this.answers.set(m.seq, m.head ? [Buffer.from(m.head), out] : [out]);
    const next = this.queue.shift();
    if (next) w.postMessage(next, [next.buf]);
    else this.idle.push(w);
    this.notify();
  }

  /** Hand over `len` bytes of `buf` (transferred: do not touch it afterwards); waits for room. */
  async submit(buf: ArrayBuffer, len: number): Promise<void> {
    await this.until(() => this.submitted - this.emitted < this.window);
    const job = { seq: this.submitted++, buf, len };
    const w = this.idle.pop();
    if (w) w.postMessage(job, [buf]);
    else this.queue.push(job);
  }

  /** Stop everything, the workers too; pending and future calls reject with `e`. */
  override destroy(e: Error): void {
    super.destroy(e);
    this.close();
  }

  private close(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }

  /** Outputs in submission order. */
  async *results(): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        await this.until(() => this.answers.has(this.emitted) || (this.finished && this.emitted === this.submitted));
        const out = this.answers.get(this.emitted);
        if (!out) return;
        this.answers.delete(this.emitted++);
        this.notify();
        yield* out;
      }
    } finally {
      this.close();
    }
  }
}
