// File manager: listing a 10,000-entry folder; a large upload and download streamed through the
// panel (in its own process) against `cp` of the same file in the same run, with the panel's RSS.
// Bare node:http moving the same bytes is measured too: the best any Node server can do here.
//   BENCH_FILES_MB (default 1024) sets the transfer size for a quick run.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { expect, it } from 'vitest';
import { peakRssMb, report, rssMb } from './report.js';

const SIZE_MB = Number(process.env.BENCH_FILES_MB ?? 1024);
const ENTRIES = 10_000;
const root = path.resolve(import.meta.dirname, '../..');

/** Run a command asynchronously (samplers and the bare server keep running), timed in ms. */
async function timed(cmd: string, args: string[]): Promise<number> {
  const t = performance.now();
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`${cmd} failed (${code}): ${err}`);
  return performance.now() - t;
}

/** Highest RSS of a process while `work` runs, sampled every 20 ms. */
async function sampleRss(pid: number, work: () => Promise<number>): Promise<{ ms: number; peakMb: number }> {
  let peak = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, await rssMb(pid));
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  try {
    return { ms: await work(), peakMb: peak };
  } finally {
    running = false;
    await sampler;
  }
}

/** Bare node:http streaming the same bytes (no kernel, no multipart). */
async function bareNode(src: string, dest: string): Promise<{ up: number; down: number }> {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET') return void pipeline(createReadStream(src, { highWaterMark: 1 << 20 }), res).catch(() => undefined);
    void pipeline(req, createWriteStream(dest, { highWaterMark: 1 << 20 })).then(() => res.end('ok'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const up = await timed('curl', ['-sS', '-f', '-o', '/dev/null', '-T', src, url]);
  const down = await timed('curl', ['-sS', '-f', '-o', `${dest}.down`, url]);
  server.close();
  rmSync(dest);
  rmSync(`${dest}.down`);
  return { up, down };
}

async function startPanel(home: string) {
  const child = spawn(process.execPath, [path.join(root, 'test/bench/files-panel.mjs'), home], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`bench panel exited ${code}`)));
  });
  return { child, ...(JSON.parse(line) as { url: string; token: string }) };
}

it('lists 10,000 entries and streams a large upload and download in bounded memory', async () => {
  spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-needed'], { stdio: 'inherit', cwd: root });
  const work = mkdtempSync(path.join(os.tmpdir(), 'vp-files-bench-'));
  const home = path.join(work, 'home', 'bench');
  const panel = await startPanel(home);
  try {
    mkdirSync(path.join(home, 'many'));
    for (let i = 0; i < ENTRIES; i++) writeFileSync(path.join(home, 'many', `file-${String(i).padStart(5, '0')}.html`), '<p>x</p>');
    const auth = `Bearer ${panel.token}`;
    const list = async () => {
      const t = performance.now();
      const body = await (await fetch(`${panel.url}/api/files/list?account_id=1&path=/many`, { headers: { authorization: auth } })).json();
      expect(body.data.entries).toHaveLength(ENTRIES);
      return performance.now() - t;
    };
    await list();
    const listMs = Math.min(await list(), await list(), await list());
    const lsMs = Math.min(await timed('ls', ['-la', '--', path.join(home, 'many')]), await timed('ls', ['-la', '--', path.join(home, 'many')]));

    const src = path.join(work, 'source.bin');
    const block = randomBytes(1024 * 1024);
    const fd = openSync(src, 'w');
    for (let i = 0; i < SIZE_MB; i++) writeSync(fd, block);
    closeSync(fd);
    const bytes = statSync(src).size;
    const pid = panel.child.pid!;
    const idleRss = await rssMb(pid);
    const cpMs = await timed('cp', ['--', src, path.join(work, 'cp-copy.bin')]);
    rmSync(path.join(work, 'cp-copy.bin'));
    const bare = await bareNode(src, path.join(work, 'bare.bin'));
    const up = await sampleRss(pid, () => timed('curl', ['-sS', '-f', '-o', '/dev/null', '-H', `authorization: ${auth}`, '-F', `file=@${src};filename=upload.bin`, `${panel.url}/api/files/upload?account_id=1&path=/`]));
    expect(statSync(path.join(home, 'upload.bin')).size).toBe(bytes);
    const down = await sampleRss(pid, () => timed('curl', ['-sS', '-f', '-o', path.join(work, 'download.bin'), '-H', `authorization: ${auth}`, `${panel.url}/api/files/download?account_id=1&path=/upload.bin`]));
    expect(statSync(path.join(work, 'download.bin')).size).toBe(bytes);
    const mbps = (ms: number) => Math.round((bytes / 1048576 / (ms / 1000)) * 10) / 10;
    const ratio = (ms: number, base = cpMs) => Math.round((base / ms) * 100) / 100;
    const transferPeak = Math.max(up.peakMb, down.peakMb);
    report('files', {
      entries: ENTRIES, list_ms: Math.round(listMs), list_target_ms: 150, ls_la_ms: Math.round(lsMs), size_mb: SIZE_MB,
      cp_mb_s: mbps(cpMs), upload_mb_s: mbps(up.ms), download_mb_s: mbps(down.ms),
      upload_ratio: ratio(up.ms), download_ratio: ratio(down.ms), target_ratio: 0.8,
      bare_node_upload_ratio: ratio(bare.up), bare_node_download_ratio: ratio(bare.down),
      upload_vs_bare_node: ratio(up.ms, bare.up), download_vs_bare_node: ratio(down.ms, bare.down),
      idle_rss_mb: idleRss, transfer_peak_rss_mb: transferPeak, transfer_rss_growth_mb: transferPeak - idleRss, peak_rss_target_mb: 100,
      process_peak_rss_mb: await peakRssMb(pid),
    });
  } finally {
    panel.child.kill('SIGTERM');
    await new Promise((r) => panel.child.once('exit', r));
    rmSync(work, { recursive: true, force: true });
  }
});
