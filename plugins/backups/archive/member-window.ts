/**
 * What a backup's compressing workers ({@link MemberPool}) and a restore's inflating calls
 * ({@link MemberInflater}) share: members in flight ahead of the consumer up to `window`, input
 * buffers kept for the next members, and waits that end when something changes or when the first
 * failure stops every pending and future call.
 */
export abstract class MemberWindow {
  /** Input buffers whose members are done, for the next members. */
  readonly free: ArrayBuffer[] = [];
  protected finished = false;
  protected failure: Error | null = null;
  private wake: (() => void)[] = [];

  constructor(protected readonly window: number) {}

  protected notify(): void {
    const w = this.wake;
    this.wake = [];
    for (const fn of w) fn();
  }

  protected async until(ready: () => boolean): Promise<void> {
    while (!ready()) {
      if (this.failure) throw this.failure;
      await new Promise<void>((r) => this.wake.push(r));
    }
    if (this.failure) throw this.failure;
  }

  /** Keep an input buffer for a next member (no more than a window's worth). */
  protected recycle(buf: ArrayBuffer): void {
    if (this.free.length < this.window) this.free.push(buf);
  }

  /** No more members: `results` ends after the last one. */
  finish(): void {
    this.finished = true;
    this.notify();
  }

  /** Stop: pending and future calls reject with `e`. */
  destroy(e: Error): void {
    if (!this.failure) this.failure = e;
    this.notify();
  }
}
