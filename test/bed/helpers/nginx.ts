// Vhosts on the bed's shared nginx: add/remove a site file, reload, and wait until the reload
// has really landed (a generation number served by the default server).
//
//   const root = makeWebRoot({ 'index.html': 'hi' });
//   const site = await addSite(bed.nginx, `server { listen 127.0.0.1:${bed.nginx.httpPort};
//     server_name a.test; root ${root.dir}; }`);
//   … fetchVhost({ port: bed.nginx.httpPort, host: 'a.test' }) …
//   await site.remove(); root.remove();
// Site files of parallel test files share one nginx: use unique server_names, and never leave a
// broken file behind (reloads of every file would fail). For broken-config tests start a private
// instance with startNginx() from ../services/nginx.js.
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { NginxInfo } from '../types.js';
import { bedTempDir, removeDir, run, waitFor } from '../proc.js';
import { fetchVhost } from './http.js';

const PROBE_HOST = 'velopanel-bed-generation.invalid';

function nginxArgs(info: NginxInfo): string[] {
  return ['-p', info.prefix, '-c', info.confPath, '-e', join(info.prefix, 'logs', 'error.log')];
}

/** The master's worker processes that still accept connections (not "shutting down"). */
function acceptingWorkers(masterPid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== masterPid) continue;
      // nginx retitles an old worker "worker process is shutting down" once it has closed its
      // listening sockets; until then it may still take a new connection with the old config
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (title.includes('worker process') && !title.includes('shutting down')) out.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/**
 * `nginx -t` then `-s reload`; resolves once workers with the new config answer and every worker
 * of the old configuration has stopped accepting (a generation seen from one new worker alone
 * leaves a window where an old worker still answers with the old sites).
 */
export async function reloadNginx(info: NginxInfo): Promise<void> {
  // CLOCK_MONOTONIC is system-wide, so generations from parallel test processes compare correctly
  const generation = process.hrtime.bigint();
  const before = new Set(acceptingWorkers(info.pid));
  writeFileSync(info.generationFile, `default_type text/plain; return 200 "${generation}";\n`);
  await run(info.binary, [...nginxArgs(info), '-t', '-q']);
  await run(info.binary, [...nginxArgs(info), '-s', 'reload']);
  await waitFor(
    'nginx reload to take effect',
    async () => {
      const r = await fetchVhost({ port: info.httpPort, host: PROBE_HOST, path: '/__bed/generation' });
      if (r.status !== 200 || BigInt(r.body.trim()) < generation) return false;
      return !acceptingWorkers(info.pid).some((pid) => before.has(pid));
    },
    15_000,
  );
}

export interface Site {
  file: string;
  remove(): Promise<void>;
}

/** Writes sites/<name>.conf (name defaults to a random one) and reloads. */
export async function addSite(
  info: NginxInfo,
  conf: string,
  name = `site-${randomBytes(4).toString('hex')}`,
): Promise<Site> {
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) throw new Error(`bad site name ${name}`);
  const file = join(info.sitesDir, `${name}.conf`);
  writeFileSync(file, conf);
  try {
    await reloadNginx(info);
  } catch (e) {
    unlinkSync(file);
    throw e;
  }
  return {
    file,
    remove: async () => {
      rmSync(file, { force: true });
      await reloadNginx(info);
    },
  };
}

export interface WebRoot {
  dir: string;
  remove(): void;
}

/** A temp docroot (0755 dirs, 0644 files) readable by nginx workers; optionally chowned. */
export function makeWebRoot(files: Record<string, string>, owner?: { uid: number; gid: number }): WebRoot {
  const dir = bedTempDir('www');
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    writeFileSync(path, content, { mode: 0o644 });
    chmodSync(path, 0o644);
    if (owner) chownSync(path, owner.uid, owner.gid);
  }
  if (owner) chownSync(dir, owner.uid, owner.gid);
  return { dir, remove: () => removeDir(dir) };
}
