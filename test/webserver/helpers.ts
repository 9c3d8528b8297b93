// Shared set-up of the accounts/domains/web-server tests: a panel wired to a private nginx, with
// homes in a temp dir the nginx workers can enter.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll } from 'vitest';
import type { PluginDefinition } from '../../sdk/index.js';
import { startTestPanel, type TestPanel, type TestPanelOptions } from '../../sdk/testing/index.js';
import { startPrivateNginx, type PrivateNginx } from './private-nginx.js';

export interface HostingPanel {
  panel: TestPanel;
  nginx: PrivateNginx | null;
  homeBase: string;
  stop(): Promise<void>;
}

/** A temp dir with mode 0755 (mkdtemp makes 0700, which the web server could not enter). */
export function openTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/**
 * Panel with accounts + domains + an engine. `engine: 'nginx'` starts a private nginx for this
 * file; extra plugin config sections merge over the defaults.
 */
export async function startHostingPanel(
  opts: {
    engine?: 'nginx' | 'veloserve';
    mode?: 'local' | 'linux';
    inline?: PluginDefinition[];
    /** More first-party plugin folders to load (e.g. `system`). */
    extra?: string[];
    plugins?: Record<string, Record<string, unknown>>;
    tier?: TestPanelOptions['tier'];
    config?: TestPanelOptions['config'];
    nginx?: PrivateNginx;
    /** Reuse a home base (a restart on the same data); it is then left for the caller to remove. */
    homeBase?: string;
  } = {},
): Promise<HostingPanel> {
  const engine = opts.engine ?? 'nginx';
  const nginx = engine === 'nginx' ? (opts.nginx ?? (await startPrivateNginx())) : null;
  const homeBase = opts.homeBase ?? openTempDir('velopanel-homes-');
  const plugins: Record<string, Record<string, unknown>> = {
    domains: { engine },
    ...(nginx ? { nginx: { ...nginx.pluginConfig } } : {}),
    // A test never edits the host's /etc/pam.d/sshd: one that tests the PAM line gives its sshd its own stack.
    ...(opts.extra?.includes('access') ? { access: { session_cgroups: false } } : {}),
  };
  for (const [id, section] of Object.entries(opts.plugins ?? {})) plugins[id] = { ...(plugins[id] ?? {}), ...section };
  const panel = await startTestPanel({
    plugins: ['accounts', 'domains', engine, ...(opts.extra ?? [])],
    inline: opts.inline,
    tier: opts.tier,
    config: {
      mode: opts.mode ?? 'local',
      home_base: homeBase,
      ...(opts.config ?? {}),
      plugins,
    } as TestPanelOptions['config'],
  });
  await waitReconciled(panel);
  return {
    panel,
    nginx,
    homeBase,
    async stop() {
      await panel.stop();
      if (nginx && !opts.nginx) await nginx.stop();
      if (!opts.homeBase) rmSync(homeBase, { recursive: true, force: true });
    },
  };
}

/** What a restart test keeps across panels: one private nginx, data dir and home base. */
export interface RestartSetup {
  nginx: PrivateNginx;
  dataDir: string;
  homes: string;
}

/**
 * Register beforeAll/afterAll for a file that restarts panels on the same data: the fields are
 * filled before the tests run; `cleanup` runs after nginx stops and before the dirs go.
 */
export function restartSetup(cleanup?: () => void): RestartSetup {
  const s = {} as RestartSetup;
  beforeAll(async () => {
    s.nginx = await startPrivateNginx();
    s.dataDir = openTempDir('velopanel-data-');
    s.homes = openTempDir('velopanel-homes-');
  });
  afterAll(async () => {
    await s.nginx?.stop();
    cleanup?.();
    for (const d of [s.dataDir, s.homes]) if (d) rmSync(d, { recursive: true, force: true });
  });
  return s;
}

/** Wait (bounded) until the start-up reconciliation has run. */
export async function waitReconciled(panel: TestPanel): Promise<any> {
  for (let i = 0; i < 400; i++) {
    const res = await panel.request('GET', '/api/veloserve/status');
    const state = res.body?.data?.reconciliation?.vhosts?.state;
    if (state && state !== 'pending') return res.body.data.reconciliation;
    await sleep(25);
  }
  throw new Error('reconciliation did not finish');
}

let counter = 0;
/** A fresh, valid account body (unique names per call). */
export function accountBody(overrides: Record<string, unknown> = {}) {
  counter++;
  const tag = `${process.pid.toString(36)}${counter}`;
  return {
    username: `u${tag}`.slice(0, 16),
    domain: `site${tag}.test`,
    email: `owner${counter}@example.com`,
    password: 'UserPass123',
    plan: 'free',
    ...overrides,
  };
}
