import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecService } from '../../sdk/index.js';
import { canConnect, type Recipe } from './supervisor.js';
import { findBinary, notInstalled } from './binaries.js';

/** `php-fpm` on PATH, else Debian's newest versioned `php-fpm<major.minor>`. */
function defaultFpm(): string | null {
  const plain = findBinary('php-fpm');
  if (plain) return plain;
  const versioned = ['/usr/sbin', '/usr/local/sbin'].flatMap((dir) => {
    try {
      return readdirSync(dir)
        .filter((n) => /^php-fpm\d+\.\d+$/.test(n))
        .map((n) => path.join(dir, n));
    } catch {
      return [];
    }
  });
  const key = (p: string) =>
    p
      .replace(/^.*php-fpm/, '')
      .split('.')
      .map(Number);
  versioned.sort((a, b) => key(b)[0]! - key(a)[0]! || key(b)[1]! - key(a)[1]!);
  return versioned.find((p) => findBinary(p)) ?? null;
}

/**
 * One php-fpm master, as the panel's own user, including the pools the php plugin writes (one
 * per account, sockets under the data dir). The master refuses to start without a pool, so its
 * config holds one of its own (`velopanel`: not a `vp-` account name, reachable by the panel's
 * user only), whose socket also tells when the master is up. As root the pools run as root
 * too (`-R`): in local mode the homes belong to the panel's user, as nginx's workers do.
 */
export function phpFpmRecipe(
  exec: ExecService,
  o: { dataDir: string; binary: string },
): Recipe & { conf: string; pidFile: string; poolDir: string; socketDir: string; binaryPath(): string | null } {
  const dir = path.join(o.dataDir, 'services', 'php-fpm');
  const conf = path.join(dir, 'php-fpm.conf');
  const pidFile = path.join(dir, 'php-fpm.pid');
  const poolDir = path.join(dir, 'pool.d');
  const socketDir = path.join(dir, 'sock');
  const socket = path.join(dir, 'velopanel.sock');
  const binary = () => (o.binary ? findBinary(o.binary) : defaultFpm());
  const asRoot = os.userInfo().uid === 0 ? ['-R'] : [];
  return {
    name: 'php-fpm',
    dir,
    conf,
    pidFile,
    poolDir,
    socketDir,
    binaryPath: binary,
    port: null,
    socket,
    stopSignal: 'SIGQUIT',
    unavailable: () => (binary() ? null : notInstalled(o.binary || 'php-fpm')),
    async prepare() {
      for (const d of [poolDir, socketDir]) mkdirSync(d, { recursive: true, mode: 0o750 });
      writeFileSync(
        conf,
        `; Written by VeloPanel's local-services plugin at every start.
[global]
pid = ${pidFile}
error_log = ${path.join(dir, 'error.log')}
daemonize = no
include = ${poolDir}/*.conf

[velopanel]
listen = ${socket}
listen.mode = 0600
pm = ondemand
pm.max_children = 1
pm.process_idle_timeout = 10s
security.limit_extensions = .php
`,
        { mode: 0o640 },
      );
    },
    command: () => ({ cmd: binary()!, args: ['-F', '-y', conf, ...asRoot] }),
    ready: () => canConnect(socket),
    async version() {
      const r = await exec.run(binary()!, ['-v'], { timeoutMs: 10_000 });
      return /^PHP (\S+)/.exec(r.stdout)?.[1] ?? null;
    },
  };
}
