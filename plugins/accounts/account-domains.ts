import { accountDomains, errors, type AccountDomains, type PluginContext } from '../../sdk/index.js';

/**
 * The plugin keeping the account's domains and vhosts, through this plugin's own point (the
 * domains plugin contributes to it): accounts names no other plugin and needs none to start.
 */
export function domainsOf(ctx: PluginContext): AccountDomains {
  const entry = ctx.extensions.entries(accountDomains).find((e) => e.available);
  if (!entry)
    throw errors.unavailable(
      "Account domains are not available: no active plugin contributes to 'account-domains' (the domains plugin)",
    );
  return entry.value;
}
