// A panel as `npm start` makes it — every first-party plugin, the real kernel modules, no logins
// yet (setup is open) — wired to a private nginx and, when given, the test bed's MariaDB.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../core/config/load.js';
import type { Kernel } from '../../../core/kernel.js';
import { createPanel } from '../../../core/panel.js';
import { installTestLicence } from '../../../sdk/testing/credentials.js';
import type { MariadbInfo } from '../../bed/types.js';
import { openTempDir } from '../../webserver/helpers.js';
import { startPrivateNginx, type PrivateNginx } from '../../webserver/private-nginx.js';
import { uiConfig } from './client.js';

export interface FreshPanel {
  url: string;
  kernel: Kernel;
  homeBase: string;
  nginx: PrivateNginx;
  /** `METHOD /api/path/:param` of every route of an active plugin (or the kernel). */
  routes(): Set<string>;
  stop(): Promise<void>;
}

/** Start the panel; `plugins` sections merge over the defaults. */
export async function startFreshPanel(
  opts: { mariadb?: MariadbInfo; plugins?: Record<string, Record<string, unknown>> } = {},
): Promise<FreshPanel> {
  const nginx = await startPrivateNginx();
  const homeBase = openTempDir('velopanel-ui-homes-');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'velopanel-ui-'));
  const plugins: Record<string, Record<string, unknown>> = {
    ...uiConfig(),
    domains: { engine: 'nginx' },
    nginx: { ...nginx.pluginConfig },
    ...(opts.mariadb ? { mysql: { socket: opts.mariadb.socket, user: opts.mariadb.rootUser } } : {}),
    ...(opts.plugins ?? {}),
  };
  const config = loadConfig({
    env: {},
    overrides: {
      mode: 'local',
      bind_address: '127.0.0.1',
      bind_port: 0,
      data_dir: dataDir,
      home_base: homeBase,
      test_mode: true,
      log_level: 'silent',
      plugin_start_timeout_ms: 5000,
      plugins,
    } as never,
  });
  await installTestLicence(config, 'business');
  const kernel = createPanel(config, {});
  const addr = await kernel.start();
  return {
    url: `http://127.0.0.1:${addr.port}`,
    kernel,
    homeBase,
    nginx,
    routes: () =>
      new Set(
        kernel.http.routes
          .filter((r) => kernel.plugins.isActive(r.pluginId))
          .map((r) => `${r.def.method} ${r.def.path}`),
      ),
    async stop() {
      await kernel.stop(2000);
      await nginx.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(homeBase, { recursive: true, force: true });
    },
  };
}

/**
 * Steps of a journey that run only when the API they drive exists. A missing route is recorded
 * with its reason; under CI (or VELOPANEL_UI_STRICT=1) the journey then fails at the end.
 */
export class StepGate {
  readonly skipped: string[] = [];
  readonly done: string[] = [];

  constructor(private readonly routes: () => Set<string>) {}

  /** Run `fn` when every needed route exists (and every earlier step it depends on ran). */
  async step(name: string, needs: string[], fn: () => Promise<void>, after: string[] = []): Promise<boolean> {
    const have = this.routes();
    const missing = needs.filter((r) => !have.has(r));
    const blocked = after.filter((s) => !this.done.includes(s));
    if (missing.length || blocked.length) {
      this.skipped.push(
        `${name}: ${missing.length ? `no ${missing.join(', ')} on this panel (plugin missing or disabled)` : `needs the earlier step(s) ${blocked.join(', ')}`}`,
      );
      return false;
    }
    await fn();
    this.done.push(name);
    return true;
  }

  /** True when skipped steps must fail the run. */
  static strict(): boolean {
    return !!process.env.CI || process.env.VELOPANEL_UI_STRICT === '1';
  }
}
