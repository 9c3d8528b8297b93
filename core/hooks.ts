import type { AfterHook, BeforeHook, HookBus, HookEvents } from '../sdk/hooks.js';
import type { Logger } from '../sdk/logger.js';
import { errors } from './errors.js';

interface Entry {
  pluginId: string;
  fn: (payload: any) => any;
}

/**
 * Typed event bus. `before` handlers run in registration (= dependency) order and may veto;
 * `after` handlers run after the change is committed, each isolated and bounded by a timeout.
 * Handlers of inactive plugins are skipped.
 */
export class HookRegistry {
  private readonly before = new Map<string, Entry[]>();
  private readonly after = new Map<string, Entry[]>();

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs: number,
    private readonly isActive: (pluginId: string) => boolean,
  ) {}

  /** The bus as one plugin sees it: its registrations carry its id. */
  forPlugin(pluginId: string): HookBus {
    return {
      before: (event, handler) => this.add(this.before, event, pluginId, handler as BeforeHook<any>),
      after: (event, handler) => this.add(this.after, event, pluginId, handler as AfterHook<any>),
      runBefore: (event, payload) => this.runBefore(event, payload),
      runAfter: (event, payload) => this.runAfter(event, payload),
    };
  }

  /** Drop every handler of a plugin (when it is disabled at start). */
  removePlugin(pluginId: string): void {
    for (const map of [this.before, this.after])
      for (const [k, list] of map)
        map.set(
          k,
          list.filter((e) => e.pluginId !== pluginId),
        );
  }

  async runBefore<E extends keyof HookEvents & string>(event: E, payload: HookEvents[E]): Promise<void> {
    for (const entry of this.before.get(event) ?? []) {
      if (!this.isActive(entry.pluginId)) continue;
      const result = await entry.fn(payload);
      if (result && typeof result === 'object' && typeof (result as { veto?: unknown }).veto === 'string')
        throw errors.vetoed(entry.pluginId, (result as { veto: string }).veto);
    }
  }

  async runAfter<E extends keyof HookEvents & string>(event: E, payload: HookEvents[E]): Promise<void> {
    const list = (this.after.get(event) ?? []).filter((e) => this.isActive(e.pluginId));
    await Promise.all(list.map((entry) => this.isolated(event, entry, payload)));
  }

  private async isolated(event: string, entry: Entry, payload: unknown): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(() => entry.fn(payload)),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
    } catch (e) {
      this.logger.error('after-hook failed', { event, plugin: entry.pluginId, error: (e as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }

  private add(map: Map<string, Entry[]>, event: string, pluginId: string, fn: Entry['fn']): void {
    const list = map.get(event) ?? [];
    list.push({ pluginId, fn });
    map.set(event, list);
  }
}
