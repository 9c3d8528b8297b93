import type { ExtensionEntry, ExtensionPointRef, ExtensionRegistry } from '../../sdk/extension-points.js';
import { tierAtLeast, tierRequirementLabel, type LicenceView, type Tier } from '../../sdk/licence.js';

interface Stored {
  pluginId: string;
  entryId: string;
  tier?: Tier;
  feature?: string;
  value: unknown;
}

/** Entries of every extension point, keyed by point id then `{pluginId, entryId}`. */
export class ExtensionStore {
  private readonly points = new Map<string, Stored[]>();

  constructor(
    private readonly licence: () => LicenceView,
    private readonly pluginState: (pluginId: string) => { ok: boolean; reason?: string },
  ) {}

  forPlugin(pluginId: string): ExtensionRegistry {
    return {
      provide: (point, entryId, value, opts) => this.provide(pluginId, point, entryId, value, opts),
      entries: (point) => this.entries(point),
      find: (point, entryId, owner) =>
        this.entries(point).find((e) => e.entryId === entryId && (!owner || e.pluginId === owner)),
    };
  }

  provide<T>(
    pluginId: string,
    point: ExtensionPointRef<T>,
    entryId: string,
    value: T,
    opts: { tier?: Tier; feature?: string } = {},
  ): void {
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(entryId))
      throw new Error(`extension entry id '${entryId}' must be lowercase letters, digits, '-' or '_'`);
    const list = this.points.get(point.id) ?? [];
    if (list.some((e) => e.pluginId === pluginId && e.entryId === entryId))
      throw new Error(`plugin '${pluginId}' already provides '${entryId}' to '${point.id}'`);
    list.push({ pluginId, entryId, value, ...opts });
    this.points.set(point.id, list);
  }

  entries<T>(point: ExtensionPointRef<T>): ExtensionEntry<T>[] {
    const lic = this.licence();
    return (this.points.get(point.id) ?? []).map((e) => {
      const state = this.pluginState(e.pluginId);
      let reason: string | undefined;
      if (!state.ok) reason = state.reason;
      else if (e.tier && !tierAtLeast(lic.tier, e.tier)) reason = `requires ${tierRequirementLabel(e.tier)}`;
      else if (e.feature && !lic.has(e.feature)) reason = `requires a license with the '${e.feature}' feature`;
      return {
        pluginId: e.pluginId,
        entryId: e.entryId,
        tier: e.tier,
        feature: e.feature,
        value: e.value as T,
        available: !reason,
        reason,
      };
    });
  }

  /** Ids of the extension points a plugin contributed to. */
  providedBy(pluginId: string): string[] {
    return [...this.points].filter(([, list]) => list.some((e) => e.pluginId === pluginId)).map(([k]) => k);
  }

  removePlugin(pluginId: string): void {
    for (const [k, list] of this.points)
      this.points.set(
        k,
        list.filter((e) => e.pluginId !== pluginId),
      );
  }
}
