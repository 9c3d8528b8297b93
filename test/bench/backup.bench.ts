// Backup archive throughput and memory against GNU `tar czf` and `tar -I pigz`, measured in the
// same run on a generated home (small text files plus large semi-compressible dumps), then the
// restore against `tar xzf` of GNU's archive, read through the local target as a restore reads
// it: one pass (members inflated on libuv's pool, every checksum computed while extracting,
// verified before the finish), the same under the panel's runtime env (config/runtime.env), the
// same with tar-stream's extract in place of our reader (backup-tar-stream.mjs), and the restore
// as it was (a verify pass, then an extract pass, one inflating thread). BENCH_BACKUP_MB sets the
// size (default 256; the figures in the README are at 1024 and 5120); the tree is cached in the
// temp dir while BENCH_BACKUP_KEEP=1, removed otherwise.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { report } from './report.js';
import { panelRuntimeEnv } from './runtime-env.js';

const MB = Number(process.env.BENCH_BACKUP_MB ?? 256);
const KEEP = process.env.BENCH_BACKUP_KEEP === '1';
const root = path.resolve(import.meta.dirname, '../..');
const work = path.join(os.tmpdir(), `velopanel-bench-backup-${MB}`);
// The home's last component is the account name, as for every account.
const home = path.join(work, 'bench');

/** SQL-like and text-like content: gzip shrinks it to roughly a third, like real dumps and sites. */
function generate(): { files: number } {
  const marker = path.join(work, '.complete');
  const small = Math.max(100, Math.round((20000 * MB) / 1024));
  if (fs.existsSync(marker)) return { files: small + 5 };
  fs.rmSync(work, { recursive: true, force: true });
  const words = Array.from({ length: 4000 }, () =>
    randomBytes(3 + randomInt(6))
      .toString('base64url')
      .toLowerCase(),
  );
  const w = () => words[randomInt(words.length)];
  const block = (sql: boolean) => {
    const parts: string[] = [];
    for (let n = 0; n < 1 << 20; ) {
      const line = sql
        ? `INSERT INTO \`wp_posts\` VALUES (${randomInt(1e9)},'${w()} ${w()} ${w()}','${randomBytes(6).toString('hex')}',${randomInt(1e5)},'2024-0${1 + randomInt(9)}-1${randomInt(9)}');\n`
        : `${w()} ${w()} ${w()} ${w()} ${w()}${randomInt(8) === 0 ? '\n' : ' '}`;
      parts.push(line);
      n += line.length;
    }
    return Buffer.from(parts.join('')).subarray(0, 1 << 20);
  };
  const sqlBlocks = Array.from({ length: 16 }, () => block(true));
  const text = Buffer.concat(Array.from({ length: 4 }, () => block(false)));
  const perFile = Math.round((MB * 0.1 * 1048576) / small);
  for (let i = 0; i < small; i++) {
    const dir = path.join(home, 'public_html', `d${i % 200}`);
    if (i < 200) fs.mkdirSync(dir, { recursive: true });
    const size = Math.max(64, Math.round(perFile * (0.5 + Math.random())));
    const at = randomInt(text.length - size);
    fs.writeFileSync(path.join(dir, `f${i}.php`), text.subarray(at, at + size));
  }
  fs.mkdirSync(path.join(home, 'dumps'), { recursive: true });
  const dumpMb = Math.round((MB * 0.9) / 5);
  for (let d = 0; d < 5; d++) {
    const fd = fs.openSync(path.join(home, 'dumps', `db${d}.sql`), 'w');
    for (let m = 0; m < dumpMb; m++) fs.writeSync(fd, sqlBlocks[randomInt(sqlBlocks.length)]!);
    fs.closeSync(fd);
  }
  fs.writeFileSync(marker, '');
  return { files: small + 5 };
}

/** Wall time of a command, in seconds, and its exit status. */
async function timed(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv } = {},
): Promise<{ s: number; stdout: string }> {
  const t = performance.now();
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: opts.env ?? process.env });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}`);
  return { s: Math.round((performance.now() - t) / 10) / 100, stdout };
}

const OURS_BACKUP = `
import { createWriteStream, readFileSync } from 'node:fs';
import os from 'node:os';
import { pipeline } from 'node:stream/promises';
const { writeArchive } = await import(process.env.VP_DIST + '/plugins/backups/archive/write-archive.js');
const home = process.env.VP_HOME;
const account = { id: 1, username: 'bench', primary_domain: 'bench.example.com', email: 'b@example.com', plan: 'free', status: 'active', home_dir: home, uid: null, gid: null, disk_quota_mb: 0, bandwidth_quota_mb: 0, reseller_id: null, created_at: '' };
const out = writeArchive({ account, databases: [], compression: { threads: Math.min(4, os.availableParallelism()) },
  manifest: { format: 'velopanel-backup', format_version: 1, panel_version: 'bench', created_at: new Date().toISOString(), server_hostname: 'bench', account, domains: [], settings: {}, warnings: [] } });
await pipeline(out.stream, createWriteStream(process.env.VP_OUT));
await out.manifest;
console.log(JSON.stringify({ rss_mb: Math.round(Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024) }));
`;

// Read as a restore reads: through the local target, with a progress callback.
const OURS_RESTORE = `
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
const d = process.env.VP_DIST;
const { scanArchive } = await import(d + '/plugins/backups/archive/scan-archive.js');
const { checkScan } = await import(d + '/plugins/backups/archive/verify.js');
const { HomeExtractor } = await import(d + '/plugins/backups/archive/extract-home.js');
const { LocalTarget } = await import(d + '/plugins/backups/targets/local.js');
const target = new LocalTarget('local', 'server', path.dirname(process.env.VP_OUT));
const archive = () => target.get(path.basename(process.env.VP_OUT));
const limits = { expandBytes: Number.MAX_SAFE_INTEGER, fileBytes: null, threads: Number(process.env.VP_THREADS) };
const onRead = () => undefined;
if (process.env.VP_PASSES === '2') checkScan(await scanArchive(await archive(), limits, { onRead }), 'bench');
mkdirSync(process.env.VP_DEST, { mode: 0o700 });
const x = new HomeExtractor(process.env.VP_DEST, { uid: null, gid: null, keepGids: [] }, null);
const scan = await scanArchive(await archive(), limits, { onRead, home: (rel, e, kind, data) => x.entry(rel, e, kind, data) });
const m = checkScan(scan, 'bench');
await x.finish({ from: m.account.home_dir, to: process.env.VP_DEST });
console.log(JSON.stringify({ rss_mb: Math.round(Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024) }));
`;

it(`backs up and restores a ${MB} MB home against GNU tar and pigz`, async () => {
  const dist = path.join(root, 'dist');
  if (!fs.existsSync(path.join(dist, 'plugins/backups/archive/write-archive.js')))
    spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  const { files } = generate();
  const out = (n: string) => path.join(work, n);
  const env = (extra: Record<string, string>) => ({ ...process.env, VP_DIST: dist, VP_HOME: home, ...extra });
  try {
    const gnu = await timed('tar', ['czf', out('gnu.tar.gz'), '-C', work, 'bench']);
    const pigz = await timed('tar', ['-I', 'pigz', '-cf', out('pigz.tar.gz'), '-C', work, 'bench']);
    const ours = await timed(process.execPath, ['--input-type=module', '-e', OURS_BACKUP], {
      env: env({ VP_OUT: out('ours.tar.gz') }),
    });
    const listed = spawnSync('tar', ['tzf', out('ours.tar.gz')], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    expect(listed.status).toBe(0);
    expect(
      listed.stdout.split('\n').filter((l) => l.startsWith('home/') && !l.endsWith('/')).length,
    ).toBeGreaterThanOrEqual(files);

    for (const d of ['x-gnu', 'x-pigz']) fs.mkdirSync(out(d));
    // Each extraction starts with no dirty pages of the one before (written back, untimed), so none pays for another's writes.
    spawnSync('sync');
    const gnuX = await timed('tar', ['xzf', out('gnu.tar.gz'), '-C', out('x-gnu')]);
    spawnSync('sync');
    const pigzX = await timed('tar', ['-I', 'pigz', '-xf', out('pigz.tar.gz'), '-C', out('x-pigz')]);
    const threads = Math.min(4, os.availableParallelism());
    spawnSync('sync');
    const oursX = await timed(process.execPath, ['--input-type=module', '-e', OURS_RESTORE], {
      env: env({ VP_OUT: out('ours.tar.gz'), VP_DEST: out('x-ours'), VP_THREADS: String(threads) }),
    });
    spawnSync('sync');
    // The same restore in a process with the memory settings the panel runs with (config/runtime.env).
    const panelEnv = await timed(process.execPath, ['--input-type=module', '-e', OURS_RESTORE], {
      env: {
        ...env({ VP_OUT: out('ours.tar.gz'), VP_DEST: out('x-env'), VP_THREADS: String(threads) }),
        ...panelRuntimeEnv(root),
      },
    });
    spawnSync('sync');
    const twoPass = await timed(process.execPath, ['--input-type=module', '-e', OURS_RESTORE], {
      env: env({ VP_OUT: out('ours.tar.gz'), VP_DEST: out('x-two'), VP_THREADS: '1', VP_PASSES: '2' }),
    });
    spawnSync('sync');
    const library = await timed(process.execPath, [path.join(root, 'test/bench/backup-tar-stream.mjs')], {
      env: env({ VP_OUT: out('ours.tar.gz'), VP_DEST: out('x-lib'), VP_THREADS: String(threads) }),
    });
    expect(spawnSync('diff', ['-r', '--no-dereference', out('x-gnu/bench'), out('x-ours')]).status).toBe(0);
    const size = (n: string) => Math.round(fs.statSync(out(n)).size / 1048576);
    const rss = JSON.parse(ours.stdout.trim().split('\n').at(-1)!).rss_mb as number;
    const rssOf = (r: { stdout: string }) => JSON.parse(r.stdout.trim().split('\n').at(-1)!).rss_mb as number;
    report('backup', {
      size_mb: MB,
      files,
      threads: Math.min(4, os.availableParallelism()),
      gnu_tar_czf_s: gnu.s,
      pigz_s: pigz.s,
      velopanel_s: ours.s,
      ratio: Math.round((gnu.s / ours.s) * 100) / 100,
      target_ratio: 1.5,
      pigz_ratio: Math.round((gnu.s / pigz.s) * 100) / 100,
      peak_rss_mb: rss,
      rss_target_mb: 150,
      archive_mb: { gnu: size('gnu.tar.gz'), pigz: size('pigz.tar.gz'), velopanel: size('ours.tar.gz') },
      restore: {
        gnu_tar_xzf_s: gnuX.s,
        pigz_s: pigzX.s,
        velopanel_s: oursX.s,
        ratio: Math.round((gnuX.s / oursX.s) * 100) / 100,
        target_ratio: 1.5,
        peak_rss_mb: rssOf(oursX),
        rss_target_mb: 150,
        threads,
        panel_runtime_env: {
          velopanel_s: panelEnv.s,
          peak_rss_mb: rssOf(panelEnv),
          note: 'with config/runtime.env, as npm start and the unit run the panel',
        },
        passes: 'one: extract into staging while every checksum is computed, verified before the finish',
        tar_stream_extract: {
          velopanel_s: library.s,
          ratio: Math.round((gnuX.s / library.s) * 100) / 100,
          peak_rss_mb: rssOf(library),
          passes: "tar-stream's extract in place of our reader, without its checks (a lower bound)",
        },
        two_pass: {
          velopanel_s: twoPass.s,
          ratio: Math.round((gnuX.s / twoPass.s) * 100) / 100,
          peak_rss_mb: rssOf(twoPass),
          passes: 'verify every checksum, then extract; one inflating thread (the restore before)',
        },
      },
    });
  } finally {
    for (const n of [
      'gnu.tar.gz',
      'pigz.tar.gz',
      'ours.tar.gz',
      'x-gnu',
      'x-pigz',
      'x-ours',
      'x-env',
      'x-lib',
      'x-two',
    ])
      fs.rmSync(out(n), { recursive: true, force: true });
    if (!KEEP) fs.rmSync(work, { recursive: true, force: true });
  }
});
