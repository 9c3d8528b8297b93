import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PanelConfig } from '../../core/config/schema.js';
import type { Kernel } from '../../core/kernel.js';
import { createPanel } from '../../core/panel.js';
import type { Logger } from '../logger.js';
import type { PluginDefinition } from '../plugin.js';
import { testPanelConfig } from './harness.js';
import { sendTestRequest, type TestResponse } from './responses.js';

/** Options for {@link startBarePanel}. */
export interface BarePanelOptions {
  /**
   * Config over {@link testPanelConfig}'s (top-level keys and `plugins` sections): e.g.
   * `tls_cert_path`/`tls_key_path`, `server_hostname`, `bind_address`.
   */
  config?: Partial<PanelConfig> & Record<string, unknown>;
  /** First-party plugin folder names to load (default: none; `'all'` for every one). */
  plugins?: string[] | 'all';
  /** Extra plugins defined in the test. */
  inline?: PluginDefinition[];
  /**
   * Data dir to start on, kept at stop: start again on it to test what a restart keeps. Default:
   * a fresh temp dir, removed at stop.
   */
  dataDir?: string;
  /** Receives what the panel logs (default: the config's `log_level`, `silent` in tests). */
  logger?: Logger;
}

/** A running in-process panel as an install leaves it: no admin yet (setup is open), no licence. */
export interface BarePanel {
  /** `http://` or, when the panel listens over TLS, `https://127.0.0.1:<port>`. */
  url: string;
  kernel: Kernel;
  dataDir: string;
  /** A request with `body` as JSON and an optional bearer `token`; JSON answers come parsed. */
  call<T = any>(
    method: string,
    route: string,
    opts?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<TestResponse<T>>;
  stop(): Promise<void>;
}

/**
 * Start a real panel in-process on an ephemeral loopback port exactly as configured, without the
 * licence and logins {@link startTestPanel} adds: for tests of setup itself, of the panel's own
 * listener (TLS, the certificate a plugin sets), of what it logs, or of a restart on the same data.
 *
 * @example
 * ```ts
 * const panel = await startBarePanel({ config: { tls_cert_path: cert, tls_key_path: key } });
 * expect(panel.kernel.http.tls).toBe(true);
 * await panel.stop();
 * ```
 */
export async function startBarePanel(opts: BarePanelOptions = {}): Promise<BarePanel> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'velopanel-bare-'));
  const config = testPanelConfig(dataDir, opts.config);
  const kernel = createPanel(config, {
    onlyPlugins: opts.plugins === 'all' ? undefined : (opts.plugins ?? []),
    inlinePlugins: opts.inline,
    logger: opts.logger,
  });
  const addr = await kernel.start();
  const url = `${kernel.http.tls ? 'https' : 'http'}://127.0.0.1:${addr.port}`;
  return {
    url,
    kernel,
    dataDir,
    call: (method, route, o = {}) => {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      return sendTestRequest(url + route, method, headers, o);
    },
    async stop() {
      await kernel.stop(1000);
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
