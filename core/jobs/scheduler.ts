import type { ScheduleSpec, Scheduler } from '../../sdk/jobs.js';
import type { Logger } from '../../sdk/logger.js';

const MAX_TIMER = 2 ** 31 - 1;

/** Parse a `when` expression; returns a function giving the next run after a time. */
export function parseWhen(when: string): (after: Date) => Date {
  const every = /^every (\d+)(s|m|h)$/.exec(when);
  if (every) {
    const ms = Number(every[1]) * { s: 1000, m: 60000, h: 3600000 }[every[2] as 's' | 'm' | 'h'];
    if (ms <= 0) throw new Error(`schedule '${when}': interval must be positive`);
    return (after) => new Date(after.getTime() + ms);
  }
  const m = /^(daily|weekly ([0-6])) ([01]\d|2[0-3]):([0-5]\d)$/.exec(when);
  if (!m) throw new Error(`schedule '${when}': expected 'daily HH:MM', 'weekly <0-6> HH:MM' or 'every <n>s|m|h'`);
  const weekday = m[2] === undefined ? null : Number(m[2]);
  const hour = Number(m[3]);
  const minute = Number(m[4]);
  return (after) => {
    const next = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), hour, minute));
    while (next <= after || (weekday !== null && next.getUTCDay() !== weekday)) next.setUTCDate(next.getUTCDate() + 1);
    return next;
  };
}

/** Timers for recurring work. A run never overlaps the previous run of the same schedule. */
export class ScheduleRunner {
  private readonly entries = new Map<string, { timer?: NodeJS.Timeout; running: boolean; next: Date }>();
  private stopped = false;
  /**
   * Whether this node may run cluster-wide tasks now (holds the scheduler lease). Asked at each
   * due time, so a node that died mid-run is replaced at the next due time after its lease expired.
   */
  mayRun: () => Promise<boolean> = async () => true;

  constructor(
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  forPlugin(pluginId: string): Scheduler {
    return {
      schedule: (spec) => this.schedule(`${pluginId}:${spec.name}`, spec),
      unschedule: (name) => this.unschedule(`${pluginId}:${name}`),
    };
  }

  /** Next planned run of every schedule, for the API and tests. */
  planned(): { name: string; next: string }[] {
    return [...this.entries].map(([name, e]) => ({ name, next: e.next.toISOString() }));
  }

  schedule(key: string, spec: ScheduleSpec): void {
    const nextAfter = parseWhen(spec.when);
    this.unschedule(key);
    const arm = () => {
      if (this.stopped) return;
      const entry = this.entries.get(key) ?? { running: false, next: new Date() };
      entry.next = nextAfter(this.clock());
      const wait = Math.min(MAX_TIMER, Math.max(0, entry.next.getTime() - this.clock().getTime()));
      entry.timer = setTimeout(() => void fire(), wait);
      entry.timer.unref();
      this.entries.set(key, entry);
    };
    const fire = async () => {
      const entry = this.entries.get(key);
      if (!entry || this.stopped) return;
      if (entry.next.getTime() > this.clock().getTime() + 1000) return arm();
      if (!entry.running) {
        entry.running = true;
        try {
          if (spec.perNode || (await this.mayRun())) await spec.run();
        } catch (e) {
          this.logger.error('scheduled task failed', { schedule: key, error: (e as Error).message });
        } finally {
          entry.running = false;
        }
      }
      arm();
    };
    arm();
  }

  unschedule(key: string): void {
    const e = this.entries.get(key);
    if (e?.timer) clearTimeout(e.timer);
    this.entries.delete(key);
  }

  stop(): void {
    this.stopped = true;
    for (const key of [...this.entries.keys()]) this.unschedule(key);
  }
}
