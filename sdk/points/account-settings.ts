import type { AccountInfo } from './accounts.js';
import { createExtensionPoint } from '../extension-points.js';

/**
 * One section of an account's configuration owned by a plugin (entry id = section name, e.g.
 * `php` for version, mode and ini values). Backups store every section's export in the manifest
 * and hand it back on restore.
 *
 * `import` receives values read from an archive, so it must validate them exactly like the
 * plugin's own API input (patterns, allow-lists, no newline or `user = root` reaching a file)
 * and throw `errors.validation` naming the field; nothing may change when it throws.
 *
 * @example
 * ```ts
 * ctx.extensions.provide(accountSettingsSections, 'php', {
 *   export: async (a) => ({ version: '8.2', mode: 'fpm', ini: { memory_limit: '256M' } }),
 *   import: async (a, value) => php.apply(a.id, parsePhpSettings(value)),
 * });
 * ```
 */
export interface AccountSettingsSection {
  /** JSON-serialisable settings of the account (no secrets). */
  export(account: AccountInfo): Promise<unknown>;
  /**
   * Check settings without applying them (a restore refuses a hostile archive before it changes
   * anything); throws `errors.validation` naming the field. Optional: `import` validates anyway.
   */
  validate?(value: unknown): Promise<void>;
  /** Validate and apply settings exported by {@link export} (possibly from another panel version). */
  import(account: AccountInfo, value: unknown): Promise<void>;
}

/** Extension point: per-account settings sections, consumed by the `backups` plugin. */
export const accountSettingsSections = createExtensionPoint<AccountSettingsSection>({
  id: 'account-settings',
  owner: 'backups',
});
