import type { Knex } from 'knex';
import type { Principal } from '../../sdk/auth.js';
import type { Logger } from '../../sdk/logger.js';
import type { PluginSlot } from '../plugins/loader.js';
import { stamp } from './rows.js';

const REFRESH_MS = 30_000;

/** One reseller's standing with one tier-gated plugin. */
export interface PluginGrant {
  reseller_id: number;
  plugin_id: string;
  /** Set by the admin: the reseller may switch it on. */
  allowed: boolean;
  /** Set by the reseller: on for its own accounts. */
  enabled: boolean;
}

/** A plugin that needs more than Community (a higher tier or a licence feature). */
export function isTierGated(slot: PluginSlot): boolean {
  const m = slot.manifest;
  return !!m && ((!!m.tier && m.tier !== 'community') || !!m.feature);
}

/**
 * Which tier-gated plugins each reseller (and the users of its accounts) may use: the admin
 * allows, the reseller enables. Held in memory for the request gate (synchronous), written
 * through to the store and re-read periodically so other panel processes' changes arrive.
 */
export class ResellerPlugins {
  private grants = new Map<string, PluginGrant>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly knex: Knex,
    private readonly table: string,
    private readonly logger: Logger,
  ) {}

  async load(): Promise<void> {
    const rows = await this.knex(this.table).select('reseller_id', 'plugin_id', 'allowed', 'enabled');
    this.grants = new Map(
      rows.map((r: any) => [
        `${r.reseller_id}:${r.plugin_id}`,
        { reseller_id: Number(r.reseller_id), plugin_id: r.plugin_id, allowed: !!r.allowed, enabled: !!r.enabled },
      ]),
    );
  }

  startRefresh(): void {
    this.timer = setInterval(
      () =>
        void this.load().catch((e) =>
          this.logger.warn('reseller plugin grants: reload failed', { error: (e as Error).message }),
        ),
      REFRESH_MS,
    );
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  get(resellerId: number, pluginId: string): PluginGrant {
    return (
      this.grants.get(`${resellerId}:${pluginId}`) ?? {
        reseller_id: resellerId,
        plugin_id: pluginId,
        allowed: false,
        enabled: false,
      }
    );
  }

  list(resellerId?: number): PluginGrant[] {
    return [...this.grants.values()].filter((g) => resellerId === undefined || g.reseller_id === resellerId);
  }

  async set(
    resellerId: number,
    pluginId: string,
    patch: Partial<Pick<PluginGrant, 'allowed' | 'enabled'>>,
  ): Promise<PluginGrant> {
    const next = { ...this.get(resellerId, pluginId), ...patch };
    if (!next.allowed) next.enabled = false;
    await this.knex.transaction(async (trx) => {
      await trx(this.table).where({ reseller_id: resellerId, plugin_id: pluginId }).delete();
      await trx(this.table).insert({
        reseller_id: resellerId,
        plugin_id: pluginId,
        allowed: next.allowed,
        enabled: next.enabled,
        updated_at: stamp(),
      });
    });
    this.grants.set(`${resellerId}:${pluginId}`, next);
    return next;
  }

  forgetReseller(resellerId: number): void {
    for (const [key, g] of this.grants) if (g.reseller_id === resellerId) this.grants.delete(key);
  }

  /** `PluginHost.extraGates` entry: refuses a tier-gated plugin to a reseller's side unless allowed and enabled. */
  gate = (slot: PluginSlot, principal: Principal | null): string | null => {
    if (!principal || principal.role === 'admin' || principal.resellerId === null || !isTierGated(slot)) return null;
    const g = this.get(principal.resellerId, slot.id);
    if (!g.allowed) return 'the administrator has not allowed it for your reseller';
    if (!g.enabled) return 'your reseller has not enabled it for its accounts';
    return null;
  };
}
