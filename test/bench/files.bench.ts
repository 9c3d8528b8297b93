// File manager: listing a 10,000-entry folder; a large upload and download streamed through the
// panel (in its own process) against `cp` of the same file in the same run, with the panel's peak RSS.
//   BENCH_FILES_MB (default 1024) sets the transfer size for a quick run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { peakRssMb, report, rssMb } from './report.js';

const SIZE_MB = Number(process.env.BENCH_FILES_MB ?? 1024);
const ENTRIES = 10_000;
const root = path.resolve(import.meta.dirname, '../..');

function timed(cmd: string, args: string[]): { ms: number; out: string } {
  const t = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return { ms: performance.now() - t, out: r.stdout };
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

it('lists 10,000 entries and streams a large upload and download near cp speed in bounded memory', async () => {
  spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-needed'], { stdio: 'inherit', cwd: root });
  const work = mkdtempSync(path.join(os.tmpdir(), 'vp-files-bench-'));
  const home = path.join(work, 'home', 'bench');
  const panel = await startPanel(home);
  try {
    mkdirSync(path.join(home, 'many'));
    for (let i = 0; i < ENTRIES; i++) writeFileSync(path.join(home, 'many', `file-${String(i).padStart(5, '0')}.html`), '<p>x</p>');
    const auth = { authorization: `Bearer ${panel.token}` };
    const list = async () => {
      const t = performance.now();
      const res = await fetch(`${panel.url}/api/files/list?account_id=1&path=/many`, { headers: auth });
      const body = await res.json();
      expect(body.data.entries).toHaveLength(ENTRIES);
      return performance.now() - t;
    };
    await list();
    const listMs = Math.min(await list(), await list(), await list());

    const src = path.join(work, 'source.bin');
    const block = randomBytes(1024 * 1024);
    const fd = openSync(src, 'w');
    for (let i = 0; i < SIZE_MB; i++) writeSync(fd, block);
    closeSync(fd);
    const bytes = statSync(src).size;
    const idleRss = await rssMb(panel.child.pid!);
    const cp = timed('cp', ['--', src, path.join(work, 'cp-copy.bin')]);
    rmSync(path.join(work, 'cp-copy.bin'));
    const up = timed('curl', ['-sS', '-f', '-o', '/dev/null', '-H', `authorization: ${auth.authorization}`, '-F', `file=@${src};filename=upload.bin`, `${panel.url}/api/files/upload?account_id=1&path=/`]);
    expect(statSync(path.join(home, 'upload.bin')).size).toBe(bytes);
    const down = timed('curl', ['-sS', '-f', '-o', path.join(work, 'download.bin'), '-H', `authorization: ${auth.authorization}`, `${panel.url}/api/files/download?account_id=1&path=/upload.bin`]);
    expect(statSync(path.join(work, 'download.bin')).size).toBe(bytes);
    const peak = await peakRssMb(panel.child.pid!);
    const mbps = (ms: number) => Math.round((bytes / 1048576 / (ms / 1000)) * 10) / 10;
    const ratio = (ms: number) => Math.round((cp.ms / ms) * 100) / 100;
    report('files', {
      entries: ENTRIES, list_ms: Math.round(listMs), list_target_ms: 150, size_mb: SIZE_MB,
      cp_mb_s: mbps(cp.ms), upload_mb_s: mbps(up.ms), download_mb_s: mbps(down.ms),
      upload_ratio: ratio(up.ms), download_ratio: ratio(down.ms), target_ratio: 0.8,
      idle_rss_mb: idleRss, peak_rss_mb: peak, peak_rss_target_mb: 100,
    });
  } finally {
    panel.child.kill('SIGTERM');
    await new Promise((r) => panel.child.once('exit', r));
    rmSync(work, { recursive: true, force: true });
  }
});
