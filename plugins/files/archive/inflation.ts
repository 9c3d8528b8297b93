import { Transform } from 'node:stream';
import { tooLarge } from '../sandbox/fd.js';
import { quotaExceeded } from '../sandbox/fill.js';
import type { ArchivePlan } from './policy.js';

/** How far an archive may expand: `ratio` times its own size, but always up to `floor` bytes. */
export interface ExpansionLimits {
  ratio: number;
  floor: number;
}

/**
 * Bytes inflated by every extraction in this process, counted as the decompressor hands them
 * out: tests read it to show a bomb stops early without timing anything.
 */
export const inflated = { bytes: 0 };

/** Header blocks a tar member may add beyond its declared size (its header, a pax record with a long name). */
const TAR_OVERHEAD_PER_MEMBER = 4096;
/** Room for the end-of-archive marker and the padding of the last record. */
const TAR_OVERHEAD = 1024 * 1024;

const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);

/**
 * The bounds of one extraction, applied as soon as a number passes them: to the sizes members
 * declare (zip central directory, tar headers) as they are read, and to the bytes the
 * decompressor actually produces (a header may lie, and zero blocks in a tar declare nothing).
 */
export class ExtractBudget {
  /** Most bytes the archive may expand to. */
  readonly expansion: number;
  /** The refusal a counter failed its stream with, if one did (it outranks the errors that follow). */
  refusal: Error | null = null;

  constructor(
    private readonly rel: string,
    private readonly archive: string,
    compressed: number,
    private readonly limits: ExpansionLimits,
    private readonly cap: number,
  ) {
    this.expansion = Math.max(limits.floor, compressed * limits.ratio);
  }

  /** The refusal of an archive that expands beyond its bound. */
  tooExpanded(): Error {
    return tooLarge(
      `archive: '${this.archive}' expands beyond ${mb(this.expansion)} MB, the limit for an archive of its size ` +
        `(max_archive_ratio ${this.limits.ratio}:1, at least ${mb(this.limits.floor)} MB); it may be a compression bomb`,
    );
  }

  /** Check the plan after each member is added: the first member past a bound stops the scan. */
  declared(plan: ArchivePlan): void {
    // The quota first: over both, the account hears about the limit it can change.
    if (plan.disk > this.cap) throw quotaExceeded(this.rel, plan.disk, this.cap);
    if (plan.bytes > this.expansion) throw this.tooExpanded();
  }

  /**
   * A pass-through for a tar's decompressed stream that fails it as soon as the bytes passed
   * exceed the expansion bound, or the free space plus the header room of the members seen.
   */
  tarCounter(members: () => number): Transform {
    let total = 0;
    return this.counter((n) => {
      total += n;
      const room = this.cap + TAR_OVERHEAD + TAR_OVERHEAD_PER_MEMBER * (members() + 1);
      if (total > room) return quotaExceeded(this.rel, total, this.cap);
      return total > this.expansion ? this.tooExpanded() : null;
    });
  }

  /** A pass-through for one zip member's inflated bytes; all members of the archive share the bound. */
  zipCounter(): Transform {
    return this.counter((n) => {
      this.zipTotal += n;
      return this.zipTotal > this.expansion ? this.tooExpanded() : null;
    });
  }

  private zipTotal = 0;

  private counter(check: (n: number) => Error | null): Transform {
    // Default buffering: the member count the tar room depends on lags the bytes by little.
    return new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        inflated.bytes += chunk.length;
        const refusal = check(chunk.length);
        if (refusal) this.refusal = refusal;
        done(refusal, chunk);
      },
    });
  }
}
