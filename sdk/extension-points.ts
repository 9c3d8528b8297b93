import type { Tier } from './licence.js';

/** A typed reference to an extension point, declared once in `sdk/` and shared by providers and consumers. */
export interface ExtensionPointRef<T> {
  readonly id: string;
  /** Plugin that owns (consumes) the point. */
  readonly owner: string;
  /** Phantom field carrying the entry type. */
  readonly __type?: T;
}

/**
 * Declare an extension point.
 *
 * @example
 * ```ts
 * export const backupTargets = createExtensionPoint<BackupTargetFactory>({ id: 'backup-targets', owner: 'backups' });
 * ```
 */
export function createExtensionPoint<T>(opts: { id: string; owner: string }): ExtensionPointRef<T> {
  return Object.freeze({ id: opts.id, owner: opts.owner });
}

/** One contribution to an extension point, keyed by plugin and entry id (never a joined string). */
export interface ExtensionEntry<T> {
  pluginId: string;
  entryId: string;
  tier?: Tier;
  feature?: string;
  value: T;
  /** False when the licence is below the entry's tier/feature or its plugin is not active. */
  available: boolean;
  /** Why it is unavailable. */
  reason?: string;
}

/** Registry access for a plugin. */
export interface ExtensionRegistry {
  /** Contribute an entry; the id must be unique within this plugin for that point. */
  provide<T>(point: ExtensionPointRef<T>, entryId: string, value: T, opts?: { tier?: Tier; feature?: string }): void;
  /** All entries of a point, with their availability under the current licence. */
  entries<T>(point: ExtensionPointRef<T>): ExtensionEntry<T>[];
  /** Find one entry by its entry id (and plugin id if ambiguous). */
  find<T>(point: ExtensionPointRef<T>, entryId: string, pluginId?: string): ExtensionEntry<T> | undefined;
}
