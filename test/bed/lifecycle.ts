// Starts services in parallel, remembers what runs, stops everything at teardown — and, if the
// process dies first (signal, uncaught error, process.exit), signals and cleans up synchronously.
import type { BedState, Running, ServiceName, ServiceStatus } from './types.js';
import { missingBinaries, services } from './services/index.js';
import { disabledServices } from './select.js';
import { emergencyStopSync } from './proc.js';

const START_TIMEOUT_MS = 90_000;

export class Bed {
  readonly state: BedState = { services: {} };
  private readonly running = new Map<ServiceName, Running<unknown>>();
  private readonly onExit = () => this.killAllSync();
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.killAllSync();
    // vitest exits on SIGINT/SIGTERM itself; for anything else, exit like the default handler would
    setTimeout(() => process.exit(128 + (signal === 'SIGHUP' ? 1 : signal === 'SIGINT' ? 2 : 15)), 100).unref();
  };

  constructor() {
    process.once('exit', this.onExit);
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, this.onSignal);
  }

  /** Starts every not-yet-known service of `names`; failures become `{ok:false, reason}`. */
  async start(names: ServiceName[]): Promise<void> {
    const disabled = disabledServices();
    await Promise.all(
      names
        .filter((n) => !this.state.services[n])
        .map(async (name) => {
          const set = (s: ServiceStatus) => ((this.state.services as Record<string, ServiceStatus>)[name] = s);
          if (disabled.has(name)) return set({ ok: false, reason: 'disabled by VELOPANEL_BED_DISABLE' });
          const missing = missingBinaries(name);
          if (missing.length) {
            return set({
              ok: false,
              reason: `not installed: ${missing.join(', ')} (run scripts/install-services.sh as root)`,
            });
          }
          const t0 = Date.now();
          const starting = services[name].start() as Promise<Running<unknown>>;
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`did not start within ${START_TIMEOUT_MS} ms`)),
              START_TIMEOUT_MS,
            );
          });
          try {
            const r = await Promise.race([starting, timeout]);
            this.running.set(name, r);
            set({ ok: true, info: r.info as never, startMs: Date.now() - t0 });
          } catch (e) {
            set({ ok: false, reason: e instanceof Error ? e.message : String(e) });
            // a start that finishes after the timeout must not leak a running daemon
            void starting.then(
              (late) => late.stop(),
              () => undefined,
            );
          } finally {
            clearTimeout(timer);
          }
        }),
    );
  }

  summary(): string {
    const parts = Object.entries(this.state.services).map(([name, s]) =>
      s.ok ? `${name} ${(s.startMs / 1000).toFixed(1)}s` : `${name} UNAVAILABLE (${s.reason})`,
    );
    return parts.length ? parts.join(', ') : 'no services needed';
  }

  /** Stops everything; resolves with the slowest service's name and seconds, for the log. */
  async stopAll(): Promise<string> {
    const entries = [...this.running.entries()];
    this.running.clear();
    const times: Array<[string, number]> = [];
    const results = await Promise.allSettled(
      entries.map(async ([name, r]) => {
        const t0 = Date.now();
        await r.stop();
        times.push([name, (Date.now() - t0) / 1000]);
      }),
    );
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected' ? [`${entries[i]![0]}: ${String(r.reason)}`] : [],
    );
    // whatever would not stop gracefully (or is still starting) gets the synchronous treatment
    emergencyStopSync();
    process.off('exit', this.onExit);
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, this.onSignal);
    if (failed.length) throw new Error(`[test-bed] stopping failed: ${failed.join('; ')}`);
    const [name, secs] = times.sort((a, b) => b[1] - a[1])[0] ?? ['-', 0];
    return `slowest: ${name} ${secs.toFixed(1)}s`;
  }

  /** Emergency path: signal every tracked daemon, wait (bounded), remove users and dirs. */
  killAllSync(): void {
    this.running.clear();
    emergencyStopSync();
  }
}
