// Quota: a write, upload, copy or extract that would exceed the plan's disk_quota_mb is refused
// before writing (or, for a body of unknown length, stopped and removed), leaving nothing behind.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TIMEOUT, MODES, startModeBed, treeState, type FilesBed } from './bed.js';

const KB = 1024;

function multipart(name: string, size: number, boundary: string) {
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { head, tail, body: Buffer.concat([head, Buffer.alloc(size, 0x61), tail]) };
}

function usedBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => {
    const p = path.join(dir, e.name);
    return n + (e.isDirectory() ? usedBytes(p) : e.isFile() ? statSync(p).size : 0);
  }, 0);
}

describe.each(MODES)('disk quota (%s mode, 1 MB plan)', AGENT_TIMEOUT, (mode) => {
  let bed: FilesBed & { user: { uid: number; gid: number } | null };
  const upload = (name: string, body: BodyInit, boundary: string, extra: RequestInit = {}) =>
    fetch(`${bed.panel.url}/api/files/upload?account_id=1&path=/public_html`, {
      method: 'POST',
      body,
      ...extra,
      headers: {
        authorization: `Bearer ${bed.panel.tokens.user}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
    });

  beforeAll(async () => {
    bed = await startModeBed(mode, { quotaMb: 1 });
  });
  afterAll(async () => {
    await bed.stop();
  });

  it('refuses an upload whose declared size exceeds the free quota before reading it', async () => {
    const before = treeState(bed.home(1));
    const res = await upload('big.bin', multipart('big.bin', 2048 * KB, 'b1').body, 'b1');
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatch(
      /^Disk quota exceeded: '\/public_html\/big\.bin' needs 2\.0 MB but only 1\.0 MB of the account's quota are free$/,
    );
    expect(treeState(bed.home(1))).toEqual(before);
  });

  it('stops a chunked upload (no declared size) at the quota and removes the partial file', async () => {
    const before = treeState(bed.home(1));
    const { head, tail } = multipart('stream.bin', 0, 'b2');
    const chunk = Buffer.alloc(64 * KB, 0x62);
    let sent = 0;
    const body = new ReadableStream({
      pull(c) {
        if (sent === 0) c.enqueue(head);
        if (sent >= 2048 * KB) {
          c.enqueue(tail);
          return c.close();
        }
        sent += chunk.length;
        c.enqueue(chunk);
      },
    });
    const res = await upload('stream.bin', body, 'b2', { duplex: 'half' } as RequestInit);
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatch(/^Disk quota exceeded: '\/public_html\/stream\.bin' needs/);
    expect(treeState(bed.home(1))).toEqual(before);
  });

  it('refuses text writes and copies that would not fit, and allows a same-size overwrite', async () => {
    const content = 'x'.repeat(700 * KB);
    let res = await bed.panel.request('POST', '/api/files/write', {
      body: { account_id: 1, path: '/a.txt', content },
      as: 'user',
    });
    expect(res.status).toBe(200);
    const before = treeState(bed.home(1));
    res = await bed.panel.request('POST', '/api/files/write', {
      body: { account_id: 1, path: '/b.txt', content },
      as: 'user',
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatch(/^Disk quota exceeded: '\/b\.txt' needs 0\.7 MB but only 0\.3 MB/);
    res = await bed.panel.request('POST', '/api/files/copy', {
      body: { account_id: 1, from: '/a.txt', to: '/c.txt' },
      as: 'user',
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatch(/^Disk quota exceeded: '\/c\.txt'/);
    expect(treeState(bed.home(1))).toEqual(before);
    res = await bed.panel.request('POST', '/api/files/write', {
      body: { account_id: 1, path: '/a.txt', content: content.replace('x', 'y') },
      as: 'user',
    });
    expect(res.status).toBe(200);
  });

  it('holds the quota when uploads race', async () => {
    await bed.panel.request('DELETE', '/api/files/delete', { body: { account_id: 1, path: '/a.txt' }, as: 'user' });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => upload(`r${i}.bin`, multipart(`r${i}.bin`, 300 * KB, `r${i}`).body, `r${i}`)),
    );
    const ok = results.filter((r) => r.status === 200).length;
    expect(ok).toBe(3);
    expect(results.filter((r) => r.status === 403).length).toBe(3);
    expect(usedBytes(bed.home(1))).toBeLessThanOrEqual(1024 * KB);
  });

  it('counts a deleted folder until the trash is emptied, and a write right after the delete waits for that', async () => {
    for (const name of readdirSync(path.join(bed.home(1), 'public_html'))) {
      if (/^r\d\.bin$/.test(name))
        await bed.panel.request('DELETE', '/api/files/delete', {
          body: { account_id: 1, path: `/public_html/${name}` },
          as: 'user',
        });
    }
    // Many small files (4 KB of disk each): the trash takes a while to empty, and far more than the quota.
    const old = path.join(bed.home(1), 'old');
    mkdirSync(old);
    writeFileSync(path.join(old, 'big.bin'), Buffer.alloc(700 * KB, 0x61));
    for (let i = 0; i < 1500; i++) writeFileSync(path.join(old, `f${i}.txt`), 'x');
    if (bed.user) execFileSync('chown', ['-R', `${bed.user.uid}:${bed.user.gid}`, '--', old]);
    const del = await bed.panel.request('DELETE', '/api/files/delete', {
      body: { account_id: 1, path: '/old' },
      as: 'user',
    });
    expect(del.status).toBe(200);
    const res = await bed.panel.request('POST', '/api/files/write', {
      body: { account_id: 1, path: '/new.txt', content: 'n'.repeat(700 * KB) },
      as: 'user',
    });
    expect(res.body.error ?? null).toBe(null);
    expect(
      existsSync(path.join(bed.home(1), '.velopanel-trash'))
        ? readdirSync(path.join(bed.home(1), '.velopanel-trash'))
        : [],
    ).toEqual([]);
  });
});
