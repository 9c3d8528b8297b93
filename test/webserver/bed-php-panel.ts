// A linux-mode panel on the bed's shared nginx and php-fpm master, for the tests that run accounts'
// PHP through real FPM pools. The panel writes its vhosts and pools into the shared instances, so
// every account name must carry the file's prefix, and pools left behind are removed at the end.
import { chownSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { reloadNginx } from '../bed/helpers/nginx.js';
import { PORT_WAIT_MS } from '../bed/helpers/pebble.js';
import { waitFor } from '../bed/proc.js';
import type { NginxInfo, PhpFpmInfo } from '../bed/types.js';
import { passwdIds } from '../bed/users.js';
import { startHostingPanel, type HostingPanel } from './helpers.js';
import type { PrivateNginx } from './private-nginx.js';

/** The bed's nginx as the panel's engine sees it; stopping the panel leaves it running. */
export function bedNginx(n: NginxInfo): PrivateNginx {
  return {
    dir: n.prefix,
    port: n.httpPort,
    httpsPort: null,
    sitesDir: n.sitesDir,
    pluginConfig: {
      binary: n.binary,
      prefix: n.prefix,
      conf: n.confPath,
      error_log: path.join(n.prefix, 'logs', 'error.log'),
      sites_dir: n.sitesDir,
      listen: `127.0.0.1:${n.httpPort}`,
      access_log_dir: path.join(n.prefix, 'logs', 'velopanel'),
    },
    accessLog: () => [],
    reload: () => reloadNginx(n),
    stop: async () => undefined,
  };
}

/** `[plugins.php]` pointing the plugin at the bed's php-fpm master. */
export function bedPhpConfig(f: PhpFpmInfo): Record<string, unknown> {
  return {
    pool_dir: f.poolDir,
    fpm_config: f.confPath,
    fpm_prefix: f.prefix,
    pid_file: path.join(f.prefix, 'php-fpm.pid'),
    socket_dir: f.socketDir,
    web_user: f.listenOwner,
  };
}

type PanelOptions = NonNullable<Parameters<typeof startHostingPanel>[0]>;

/**
 * A linux-mode panel with the php plugin (and `extra` plugins) on the bed's nginx and php-fpm;
 * `plugins.php` merges over the bed's php section.
 */
export function startBedPhpPanel(
  bed: { nginx: NginxInfo; phpfpm: PhpFpmInfo },
  opts: Omit<PanelOptions, 'engine' | 'mode' | 'nginx'> = {},
): Promise<HostingPanel> {
  const { php, ...plugins } = opts.plugins ?? {};
  return startHostingPanel({
    ...opts,
    engine: 'nginx',
    mode: 'linux',
    nginx: bedNginx(bed.nginx),
    extra: ['php', ...(opts.extra ?? [])],
    plugins: { ...plugins, php: { ...bedPhpConfig(bed.phpfpm), ...php } },
  });
}

/** How long a file's beforeAll may wait for `claimSharedPools` (longer than any holder's file runs). */
export const SHARED_POOLS_HOOK_MS = PORT_WAIT_MS + 60_000;

/**
 * A panel on the shared master removes, at start, every managed pool it does not know (as a
 * provider's only panel must), so the panels of two test files must not use the bed's pool
 * directory at the same time: a file holds this claim from its first panel to its last stop.
 * A claim whose process is gone is taken over. Returns the release.
 */
export async function claimSharedPools(f: PhpFpmInfo): Promise<() => void> {
  const claim = path.join(f.prefix, 'panel.claim');
  const holder = path.join(claim, 'pid');
  await waitFor(
    'the bed php-fpm pools held by another test file',
    () => {
      try {
        mkdirSync(claim);
        writeFileSync(holder, String(process.pid));
        return true;
      } catch {
        if (!holderAlive(holder, statSync(claim, { throwIfNoEntry: false })?.mtimeMs))
          rmSync(claim, { recursive: true, force: true });
        return false;
      }
    },
    PORT_WAIT_MS,
  );
  return () => rmSync(claim, { recursive: true, force: true });
}

function holderAlive(holder: string, since: number | undefined): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(holder, 'utf8'));
  } catch {
    // just made, its pid not written yet (or an old leftover with none)
    return since !== undefined && Date.now() - since < 30_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Write `files` (name → content) into the account's public_html, owned by the account; returns its ids. */
export function writeAccountPages(
  acc: { username: string; home_dir: string },
  files: Record<string, string>,
  mode = 0o644,
): { uid: number; gid: number } {
  const ids = passwdIds(acc.username);
  if (!ids) throw new Error(`no system user ${acc.username}`);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(acc.home_dir, 'public_html', name);
    writeFileSync(file, content, { mode });
    chownSync(file, ids.uid, ids.gid);
  }
  return ids;
}

/** Remove the pools of the file's accounts from the shared master, and reload it when there were any. */
export function removeLeftoverPools(f: PhpFpmInfo, prefix: string): void {
  // A pool left by a failed test would name a deleted user and break later reloads of the shared master.
  const left = readdirSync(f.poolDir).filter((name) => name.startsWith(`vp-${prefix}`));
  for (const name of left) rmSync(path.join(f.poolDir, name));
  if (left.length) process.kill(f.pid, 'SIGUSR2');
}
