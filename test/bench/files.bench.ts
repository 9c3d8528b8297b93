// File manager: listing a 10,000-entry folder against `ls -la` and a bare readdir+lstat of the
// same folder; a large upload and download streamed through the panel (its own process, files
// plugin only) against `cp` and bare node:http in the same run, with the RSS of the panel and of
// its children (linux mode: the file agents) reported separately. Linux mode runs as root only,
// with a throwaway account user.
//   BENCH_FILES_MB (default 1024) sets the transfer size; BENCH_FILES_MODES=local,linux the modes.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { createThrowawayUser, type ThrowawayUser } from '../bed/users.js';
import { bareNode, fastest, sampleRss, startPanel, timed, treeRss } from './files-tools.js';
import { report } from './report.js';
import { panelRuntimeEnv } from './runtime-env.js';

const SIZE_MB = Number(process.env.BENCH_FILES_MB ?? 1024);
const ENTRIES = 10_000;
const LIST_TARGET_MS = 150;
const isRoot = process.getuid?.() === 0;
const MODES = (process.env.BENCH_FILES_MODES ?? (isRoot ? 'local,linux' : 'local')).split(',') as ('local' | 'linux')[];
const root = path.resolve(import.meta.dirname, '../..');
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** What `ls -la` does minus the formatting: one readdir, one lstat per entry (in this process). */
function readdirLstat(dir: string): number {
  const t = performance.now();
  for (const name of readdirSync(dir)) lstatSync(`${dir}/${name}`);
  return performance.now() - t;
}

async function benchMode(mode: 'local' | 'linux', work: string, src: string, cpMs: number) {
  const user: ThrowawayUser | null = mode === 'linux' ? await createThrowawayUser() : null;
  const home = user?.home ?? path.join(work, 'home', 'bench');
  const panel = await startPanel(home, mode, user ?? undefined);
  const pid = panel.child.pid!;
  const started = treeRss(pid);
  try {
    const many = path.join(home, 'many');
    mkdirSync(many);
    for (let i = 0; i < ENTRIES; i++)
      writeFileSync(path.join(many, `file-${String(i).padStart(5, '0')}.html`), '<p>x</p>');
    if (user) spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, '--', many]);
    const auth = `Bearer ${panel.token}`;
    const list = async () => {
      const t = performance.now();
      const body = await (
        await fetch(`${panel.url}/api/files/list?account_id=1&path=/many`, { headers: { authorization: auth } })
      ).json();
      expect(body.data.entries).toHaveLength(ENTRIES);
      return performance.now() - t;
    };
    await list();
    const listMs = await fastest(Number(process.env.BENCH_LIST_RUNS ?? 5), list);
    const lsMs = await fastest(3, () => timed('ls', ['-la', '--', many]));
    const baseMs = await fastest(3, async () => readdirLstat(many));
    const idle = treeRss(pid);
    const bytes = statSync(src).size;
    const up = await sampleRss(pid, () =>
      timed('curl', [
        '-sS',
        '-f',
        '-o',
        '/dev/null',
        '-H',
        `authorization: ${auth}`,
        '-F',
        `file=@${src};filename=upload.bin`,
        `${panel.url}/api/files/upload?account_id=1&path=/`,
      ]),
    );
    expect(statSync(path.join(home, 'upload.bin')).size).toBe(bytes);
    const downloaded = path.join(work, 'download.bin');
    const down = await sampleRss(pid, () =>
      timed('curl', [
        '-sS',
        '-f',
        '-o',
        downloaded,
        '-H',
        `authorization: ${auth}`,
        `${panel.url}/api/files/download?account_id=1&path=/upload.bin`,
      ]),
    );
    expect(statSync(downloaded).size).toBe(bytes);
    rmSync(downloaded);
    const mbps = (ms: number) => round(bytes / 1048576 / (ms / 1000), 1);
    return {
      list_ms: listMs,
      list_target_ms: LIST_TARGET_MS,
      ls_la_ms: lsMs,
      list_vs_ls_la: round(listMs / lsMs),
      readdir_lstat_ms: baseMs,
      list_vs_readdir_lstat: round(listMs / baseMs),
      upload_mb_s: mbps(up.ms),
      download_mb_s: mbps(down.ms),
      upload_vs_cp: round(cpMs / up.ms),
      download_vs_cp: round(cpMs / down.ms),
      panel_start_rss_mb: started.self,
      panel_after_list_rss_mb: idle.self,
      panel_upload_peak_rss_mb: up.panelMb,
      panel_download_peak_rss_mb: down.panelMb,
      // What the transfers add over the idle panel, against what they add to bare node:http.
      panel_upload_rss_growth_mb: up.panelMb - idle.self,
      panel_download_rss_growth_mb: down.panelMb - idle.self,
      children_upload_peak_rss_mb: up.childrenMb,
      children_download_peak_rss_mb: down.childrenMb,
    };
  } finally {
    await panel.stop();
    await user?.remove();
  }
}

it('lists 10,000 entries and streams a large upload and download in bounded memory', async () => {
  spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-needed'], { stdio: 'inherit', cwd: root });
  const work = mkdtempSync(path.join(os.tmpdir(), 'vp-files-bench-'));
  chmodSync(work, 0o755);
  const loadBefore = load();
  try {
    const src = path.join(work, 'source.bin');
    const block = randomBytes(1024 * 1024);
    const fd = openSync(src, 'w');
    for (let i = 0; i < SIZE_MB; i++) writeSync(fd, block);
    closeSync(fd);
    chmodSync(src, 0o644);
    const cpMs = await timed('cp', ['--', src, path.join(work, 'cp-copy.bin')]);
    rmSync(path.join(work, 'cp-copy.bin'));
    const bare = await bareNode(src, path.join(work, 'bare.bin'));
    const modes: Record<string, unknown> = {};
    for (const mode of MODES) modes[mode] = await benchMode(mode, work, src, cpMs);
    const mbps = (ms: number) => round((SIZE_MB / ms) * 1000, 1);
    report('files', {
      entries: ENTRIES,
      size_mb: SIZE_MB,
      panel_runtime_env: panelRuntimeEnv(root),
      panel_node_args: process.env.BENCH_FILES_NODE_ARGS ?? '',
      load_before: loadBefore,
      load_after: load(),
      peak_rss_target_mb: 100,
      target_vs_cp: 0.8,
      cp_mb_s: mbps(cpMs),
      bare_node_upload_mb_s: mbps(bare.up),
      bare_node_download_mb_s: mbps(bare.down),
      bare_node_upload_vs_cp: round(cpMs / bare.up),
      bare_node_download_vs_cp: round(cpMs / bare.down),
      bare_node_idle_rss_mb: bare.idleMb,
      bare_node_upload_rss_growth_mb: bare.upPeakMb - bare.idleMb,
      bare_node_download_rss_growth_mb: bare.downPeakMb - bare.idleMb,
      ...modes,
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
