import { gunzip } from 'node:zlib';
import { MemberWindow } from './member-window.js';
import { ArchiveError } from './tar-decode.js';

/** One member: its bytes (in a buffer reused once inflated), the size it declares, and what came of it. */
interface Job {
  buf: ArrayBuffer;
  len: number;
  size: number;
  running: boolean;
  out?: Buffer;
  error?: Error;
}

const done = (job: Job) => job.out !== undefined || job.error !== undefined;
const corrupted = (m: string) => new ArchiveError(`the archive is not valid gzip data (corrupted): ${m}`);

/**
 * How many members inflate at once: `threads`, leaving one thread of libuv's pool (4 unless
 * UV_THREADPOOL_SIZE says otherwise) to the restore's file writes and the rest of the panel.
 */
export function inflatingThreads(threads: number): number {
  const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  return Math.max(1, Math.min(threads, pool - 1));
}

/**
 * Gzip members of a restore inflated by zlib's asynchronous calls on libuv's thread pool, a few
 * at once, answered in submission order. No worker threads: each would carry its own JavaScript
 * heap, and its output buffers would be freed by the main thread into its malloc arena, which
 * glibc keeps (the restore's peak RSS was mostly that). Each member is inflated into one buffer
 * of exactly its declared size; more output is refused while inflating (zlib's
 * `maxOutputLength`), so a lying member cannot make the panel allocate more; less after. Members
 * already inflating when it is destroyed finish unseen.
 */
export class MemberInflater extends MemberWindow {
  private readonly threads: number;
  private readonly jobs: Job[] = [];
  private running = 0;

  constructor(threads: number) {
    // Members read ahead of the consumer at most: one running and one waiting per thread.
    super(inflatingThreads(threads) * 2);
    this.threads = inflatingThreads(threads);
  }

  /** Start waiting members, oldest first, while threads are free. */
  private start(): void {
    for (const job of this.jobs) {
      if (this.running >= this.threads) return;
      if (job.running || done(job)) continue;
      job.running = true;
      this.running++;
      const opts = { maxOutputLength: Math.max(1, job.size), chunkSize: Math.max(1024, job.size + 64) };
      gunzip(new Uint8Array(job.buf, 0, job.len), opts, (e, out) => {
        this.running--;
        job.running = false;
        if (e) job.error = corrupted(e.message);
        else if (out.length !== job.size) job.error = corrupted('a gzip member does not hold the size it declares');
        else job.out = out;
        this.recycle(job.buf);
        if (!this.failure) this.start();
        this.notify();
      });
    }
  }

  /** Hand over `len` bytes of `buf` (not touched again by the caller) inflating to `size`; waits for room. */
  async submit(buf: ArrayBuffer, len: number, size: number): Promise<void> {
    await this.until(() => this.jobs.length < this.window);
    this.jobs.push({ buf, len, size, running: false });
    this.start();
  }

  /** Inflated members in order. */
  async *results(): AsyncGenerator<Buffer> {
    for (;;) {
      await this.until(
        () => (this.jobs.length > 0 && done(this.jobs[0]!)) || (this.finished && this.jobs.length === 0),
      );
      const job = this.jobs.shift();
      if (!job) return;
      if (job.error) throw job.error;
      this.notify();
      yield job.out!;
    }
  }
}
