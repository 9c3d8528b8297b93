import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PanelConfig } from '../../core/config/schema.js';
import { loadConfig } from '../../core/config/load.js';
import type { Kernel, KernelModule } from '../../core/kernel.js';
import { createPanel } from '../../core/panel.js';
import type { Tier } from '../licence.js';
import type { PluginDefinition } from '../plugin.js';
import { createTestLogins, installTestLicence, type TestRole } from './credentials.js';
import { sendTestRequest, type TestResponse } from './responses.js';

/**
 * The config of a panel under test: local mode on an ephemeral loopback port, test mode (fast
 * hashing, test licence keys), silent logs, the embedded store in `dataDir`; `overrides` win.
 *
 * @example
 * ```ts
 * const config = testPanelConfig(dataDir, { mode: 'linux' });
 * ```
 */
export function testPanelConfig(dataDir: string, overrides: Record<string, unknown> = {}): PanelConfig {
  return loadConfig({
    env: {},
    overrides: {
      mode: 'local',
      bind_address: '127.0.0.1',
      bind_port: 0,
      data_dir: dataDir,
      test_mode: true,
      log_level: 'silent',
      database_url: '',
      ...overrides,
    },
  });
}

/** Options for {@link startTestPanel}. */
export interface TestPanelOptions {
  /** First-party plugin folder names to load (default: none but those listed; `'all'` for every one). */
  plugins?: string[] | 'all';
  /** Extra plugins defined in the test. */
  inline?: PluginDefinition[];
  /**
   * Licence tier the panel runs under (default `business`): a licence signed with the TEST key is
   * written to the licence file unless one is there already; `'none'` runs without a licence.
   */
  tier?: Tier | 'none';
  /**
   * Config overrides (top-level keys and `plugins` sections). Keys the kernel does not know go to
   * the plugins whose config schema names them (e.g. the accounts plugin's `home_base`).
   */
  config?: Partial<PanelConfig> & Record<string, unknown>;
  /** Store URL (default: SQLite in the temp data dir). */
  databaseUrl?: string;
  modules?: KernelModule[];
}

/** A running in-process panel with ready credentials. */
export interface TestPanel {
  url: string;
  kernel: Kernel;
  dataDir: string;
  /**
   * Real bearer tokens of the admin (id 1, made by setup), the reseller (id 2) and a user login
   * (id 3, `account:1`, owned by the reseller); see `TEST_LOGINS` for their names and password.
   */
  tokens: Record<Exclude<TestRole, 'anon'>, string>;
  request<T = any>(
    method: string,
    urlPath: string,
    opts?: {
      body?: unknown;
      as?: TestRole | { token: string };
      headers?: Record<string, string>;
      raw?: string | Buffer;
    },
  ): Promise<TestResponse<T>>;
  stop(): Promise<void>;
}

/**
 * Start a real panel in-process on an ephemeral loopback port, with a temp data dir and database,
 * chosen plugins, a test licence and ready credentials.
 *
 * @example
 * ```ts
 * const panel = await startTestPanel({ plugins: ['system'] });
 * const res = await panel.request('GET', '/api/system/info', { as: 'admin' });
 * await panel.stop();
 * ```
 */
export async function startTestPanel(opts: TestPanelOptions = {}): Promise<TestPanel> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'velopanel-test-'));
  const config = testPanelConfig(dataDir, {
    database_url: opts.databaseUrl ?? '',
    plugin_start_timeout_ms: 2000,
    ...(opts.config ?? {}),
  });
  await installTestLicence(config, opts.tier ?? 'business');
  const kernel = createPanel(config, {
    onlyPlugins: opts.plugins === 'all' ? undefined : (opts.plugins ?? []),
    inlinePlugins: opts.inline,
    modules: opts.modules ?? [],
    logger: undefined,
  });
  const addr = await kernel.start();
  const url = `http://127.0.0.1:${addr.port}`;
  const tokens = await createTestLogins(kernel, url);
  const request: TestPanel['request'] = async (method, urlPath, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    const as = o.as ?? 'admin';
    const token = typeof as === 'object' ? as.token : as === 'anon' ? null : tokens[as];
    if (token && !headers.authorization) headers.authorization = `Bearer ${token}`;
    return sendTestRequest(url + urlPath, method, headers, o);
  };
  return {
    url,
    kernel,
    dataDir,
    tokens,
    request,
    async stop() {
      await kernel.stop(1000);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
