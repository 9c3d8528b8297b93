// A panel with the test logins (admin, reseller, user bound to account:1), accounts, domains on
// a private nginx, files, system and the UI — for browser tests that need real hosting data.
import type { PluginDefinition } from '../../../sdk/index.js';
import type { TestPanelOptions } from '../../../sdk/testing/index.js';
import { startHostingPanel, type HostingPanel } from '../../webserver/helpers.js';
import { uiConfig } from './client.js';

export async function startUiHostingPanel(
  opts: {
    inline?: PluginDefinition[];
    extra?: string[];
    config?: Record<string, unknown>;
    plugins?: Record<string, Record<string, unknown>>;
    tier?: TestPanelOptions['tier'];
  } = {},
): Promise<HostingPanel> {
  return startHostingPanel({
    engine: 'nginx',
    extra: ['files', 'system', 'ui', ...(opts.extra ?? [])],
    inline: opts.inline,
    tier: opts.tier,
    plugins: { ...(uiConfig() as Record<string, Record<string, unknown>>), ...(opts.plugins ?? {}) },
    config: opts.config as never,
  });
}

/** Create an account through the API as `as`; returns its id. */
export async function createAccount(
  h: HostingPanel,
  body: Record<string, unknown>,
  as: 'admin' | 'reseller' = 'admin',
): Promise<number> {
  const res = await h.panel.request('POST', '/api/accounts', {
    body: { password: 'Account-Pass-123', plan: 'free', ...body },
    as,
  });
  if (res.status !== 200) throw new Error(`account ${String(body.username)} not created: ${res.body?.error}`);
  return res.body.data.id;
}
