import path from 'node:path';
import type { Principal } from '../../sdk/auth.js';
import type { Logger } from '../../sdk/logger.js';
import { tierAtLeast, tierRequirementLabel, type LicenceView } from '../../sdk/licence.js';
import type { PluginContext, PluginDefinition, PluginManifest } from '../../sdk/plugin.js';
import type { FoundPlugin } from './discover.js';
import { checkManifest } from './manifest.js';
import { orderPlugins } from './order.js';

/** The state of a plugin that runs (one shared object: asked on every request). */
/** What a non-admin reads for a plugin that failed to start. */
const FAILED_FOR_OTHERS = 'it failed to start; an administrator can see why';
const ACTIVE: { state: PluginState; reason: null } = Object.freeze({ state: 'active', reason: null });
const PASS: { ok: true } = Object.freeze({ ok: true });

export type PluginState = 'active' | 'disabled' | 'locked';

/** Everything the kernel knows of one plugin. */
export interface PluginSlot {
  id: string;
  manifest: PluginManifest | null;
  def: PluginDefinition | null;
  source: FoundPlugin['source'] | 'inline';
  dir: string | null;
  /** Why it could not start (bad manifest, dependency, migration, config, threw, timed out). */
  failure: string | null;
  /** Set by an admin; persisted by the kernel. */
  adminDisabled: boolean;
  started: boolean;
  stops: (() => Promise<void> | void)[];
}

/** Extra refusal rules (e.g. per-reseller enablement) consulted for requests. */
export type ExtraGate = (slot: PluginSlot, principal: Principal | null) => string | null;

/**
 * Owns the plugin list: validates manifests, orders by dependencies and by what each consumes, starts each with a timeout
 * (a plugin that fails is disabled with its reason and the panel runs on), and answers what
 * state each plugin is in under the current licence.
 */
export class PluginHost {
  readonly slots = new Map<string, PluginSlot>();
  order: string[] = [];
  /** Per plugin, the plugins it starts after (dependencies and providers of what it consumes). */
  after = new Map<string, string[]>();
  readonly extraGates: ExtraGate[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly licence: () => LicenceView,
  ) {}

  /** Register discovered or inline plugins; problems are recorded as failures. */
  register(found: (FoundPlugin | { def: PluginDefinition; source: 'inline'; dir: null; problem: null })[]): void {
    let anon = 0;
    for (const f of found) {
      const check = f.def ? checkManifest(f.def.manifest) : { manifest: null, problem: f.problem };
      const rawId = (f.def?.manifest as { id?: unknown } | undefined)?.id;
      const id =
        check.manifest?.id ??
        (typeof rawId === 'string' && rawId ? rawId : f.dir ? path.basename(f.dir) : `invalid-${++anon}`);
      if (this.slots.has(id)) {
        this.logger.warn('duplicate plugin id ignored', { plugin: id, dir: f.dir });
        continue;
      }
      this.slots.set(id, {
        id,
        manifest: check.manifest,
        def: f.def,
        source: f.source,
        dir: f.dir,
        failure: check.problem ?? f.problem,
        adminDisabled: false,
        started: false,
        stops: [],
      });
    }
    const valid = [...this.slots.values()].filter((s) => s.manifest && !s.failure).map((s) => s.manifest!);
    const { order, problems, after } = orderPlugins(valid);
    for (const [id, problem] of problems) this.slots.get(id)!.failure = problem;
    this.order = order;
    this.after = after;
  }

  /** Start plugins in dependency order. `prepare` runs migrations/config and returns a context. */
  async startAll(prepare: (slot: PluginSlot) => Promise<PluginContext | string>, timeoutMs: number): Promise<void> {
    for (const id of this.order) {
      const slot = this.slots.get(id)!;
      if (slot.failure) continue;
      const broken = (slot.manifest!.dependencies ?? []).find((d) => this.slots.get(d)?.failure);
      if (broken) {
        slot.failure = `dependency '${broken}' is unavailable (${this.slots.get(broken)!.failure})`;
        continue;
      }
      const ctx = await prepare(slot).catch((e: Error) => `failed to prepare: ${e.message}`);
      if (typeof ctx === 'string') {
        slot.failure = ctx;
        continue;
      }
      const began = performance.now();
      slot.failure = await startWithTimeout(slot, ctx, timeoutMs);
      slot.started = !slot.failure;
      this.logger.debug('plugin started', { plugin: id, ms: Math.round(performance.now() - began), ok: slot.started });
      if (slot.failure) this.logger.error('plugin disabled', { plugin: id, reason: slot.failure });
    }
  }

  /**
   * Current state and reason, with the licence applied live. Why a plugin failed to start names
   * server paths, sockets and settings: only an admin viewer (or the kernel, viewer omitted) reads it.
   */
  state(id: string, viewer?: { role: string } | null): { state: PluginState; reason: string | null; detail?: string } {
    const slot = this.slots.get(id);
    if (!slot) return { state: 'disabled', reason: 'unknown plugin' };
    if (slot.failure) {
      if (viewer === undefined || viewer?.role === 'admin') return { state: 'disabled', reason: slot.failure };
      return { state: 'disabled', reason: FAILED_FOR_OTHERS, detail: slot.failure };
    }
    if (slot.adminDisabled) return { state: 'disabled', reason: 'disabled by an administrator' };
    const lic = this.licence();
    const m = slot.manifest!;
    if (m.tier && !tierAtLeast(lic.tier, m.tier))
      return { state: 'locked', reason: `requires ${tierRequirementLabel(m.tier)}` };
    if (m.feature && !lic.has(m.feature))
      return { state: 'locked', reason: `requires a license with the '${m.feature}' feature` };
    const deadDep = (m.dependencies ?? []).find((d) => this.state(d).state !== 'active');
    if (deadDep) return { state: 'disabled', reason: `dependency '${deadDep}' is not active` };
    return ACTIVE;
  }

  isActive(id: string): boolean {
    return id === 'core' || this.state(id).state === 'active';
  }

  /** Whether a request by this principal may reach the plugin. */
  gate(id: string, principal: Principal | null): { ok: true } | { ok: false; reason: string; detail?: string } {
    if (id === 'core') return PASS;
    const s = this.state(id, principal);
    if (s.state !== 'active')
      return { ok: false, reason: s.reason ?? s.state, ...(s.detail ? { detail: s.detail } : {}) };
    const slot = this.slots.get(id)!;
    for (const g of this.extraGates) {
      const reason = g(slot, principal);
      if (reason) return { ok: false, reason };
    }
    return PASS;
  }

  /** Stop started plugins in reverse start order; errors are logged. */
  async stopAll(): Promise<void> {
    for (const id of [...this.order].reverse()) {
      const slot = this.slots.get(id)!;
      for (const fn of [...slot.stops].reverse()) {
        try {
          await fn();
        } catch (e) {
          this.logger.error('plugin stop failed', { plugin: id, error: (e as Error).message });
        }
      }
      slot.stops = [];
      slot.started = false;
    }
  }
}

async function startWithTimeout(slot: PluginSlot, ctx: PluginContext, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(() => slot.def!.start(ctx)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`start timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return null;
  } catch (e) {
    const msg = (e as Error)?.message ?? String(e);
    return msg.startsWith('start timed out') ? msg : `failed to start: ${msg}`;
  } finally {
    clearTimeout(timer);
  }
}
