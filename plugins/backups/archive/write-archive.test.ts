import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  chmodSync,
  lstatSync,
  readlinkSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccountInfo, DatabaseEngine } from '../../../sdk/index.js';
import { writeArchive } from './write-archive.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'vp-archive-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function account(home: string): AccountInfo {
  return {
    id: 1,
    username: 'johndoe',
    primary_domain: 'example.com',
    email: 'j@example.com',
    plan: 'free',
    status: 'active',
    home_dir: home,
    uid: null,
    gid: null,
    disk_quota_mb: 500,
    bandwidth_quota_mb: 10000,
    reseller_id: null,
    created_at: '2026-01-01 00:00:00',
  };
}

const fakeEngine = (dump: Buffer) =>
  ({
    id: 'mysql',
    name: 'MySQL',
    dump: async (_db: string, into: Writable) => {
      const src = new PassThrough();
      const done = pipeline(src, into);
      for (let i = 0; i < dump.length; i += 100_000) src.write(dump.subarray(i, i + 100_000));
      src.end();
      await done;
    },
  }) as unknown as DatabaseEngine;

describe('writeArchive', () => {
  it('writes a .tar.gz that GNU tar lists and extracts with modes, links and dump chunks', async () => {
    const home = path.join(tmp, 'home');
    mkdirSync(path.join(home, 'public_html/deep/er'), { recursive: true });
    writeFileSync(path.join(home, 'public_html/index.html'), '<h1>hi</h1>\n');
    const big = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(path.join(home, 'public_html/deep/er/blob.bin'), big);
    writeFileSync(path.join(home, 'run.sh'), '#!/bin/sh\n');
    chmodSync(path.join(home, 'run.sh'), 0o4755);
    const long = 'x'.repeat(120);
    writeFileSync(path.join(home, `${long}.txt`), 'long name');
    writeFileSync(path.join(home, 'ünïcode.txt'), 'utf8 name');
    symlinkSync('public_html/index.html', path.join(home, 'inner-link'));
    symlinkSync('/etc/passwd', path.join(home, 'outer-link'));
    symlinkSync('../../..', path.join(home, 'public_html/up'));
    const dump = Buffer.from('INSERT INTO t VALUES (1);\n'.repeat(200_000));
    const out = writeArchive({
      account: account(home),
      databases: [{ db: { engine: 'mysql', database: 'johndoe_wp', user: 'johndoe_wp' }, engine: fakeEngine(dump) }],
      manifest: {
        format: 'velopanel-backup',
        format_version: 1,
        panel_version: '0.1.0',
        created_at: new Date().toISOString(),
        server_hostname: 'h',
        account: account(home),
        domains: [],
        settings: {},
        warnings: [],
      },
      compression: { threads: 2, chunkSize: 1024 * 1024 },
      dumpChunkSize: 2 * 1024 * 1024,
    });
    const file = path.join(tmp, 'out.tar.gz');
    await pipeline(out.stream, createWriteStream(file));
    const manifest = await out.manifest;

    const listing = execFileSync('tar', ['tzf', file], { encoding: 'utf8' }).trim().split('\n');
    expect(listing.at(-1)).toBe('manifest.json');
    expect(listing).toContain(`home/${long}.txt`);
    expect(listing).toContain('databases/mysql/johndoe_wp.sql.000003');
    expect(listing).not.toContain('home/outer-link');
    expect(listing).not.toContain('home/public_html/up');

    const x = path.join(tmp, 'x');
    mkdirSync(x);
    execFileSync('tar', ['xzpf', file, '-C', x]);
    expect(readFileSync(path.join(x, 'home/public_html/deep/er/blob.bin')).equals(big)).toBe(true);
    expect(readFileSync(path.join(x, 'home/ünïcode.txt'), 'utf8')).toBe('utf8 name');
    expect(lstatSync(path.join(x, 'home/run.sh')).mode & 0o7777).toBe(0o4755);
    expect(readlinkSync(path.join(x, 'home/inner-link'))).toBe('public_html/index.html');
    const sql = Buffer.concat(
      [1, 2, 3].map((i) => readFileSync(path.join(x, `databases/mysql/johndoe_wp.sql.00000${i}`))),
    );
    expect(sql.equals(dump)).toBe(true);

    expect(manifest.databases[0]).toMatchObject({
      chunks: 3,
      bytes: dump.length,
      sha256: createHash('sha256').update(dump).digest('hex'),
    });
    expect(manifest.files.skipped.map((s) => s.path).sort()).toEqual(['/outer-link', '/public_html/up']);
    expect(JSON.parse(readFileSync(path.join(x, 'manifest.json'), 'utf8'))).toEqual(manifest);
  });
});
