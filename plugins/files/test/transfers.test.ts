// Streaming upload and download in both modes. In linux mode the agent (as the account) creates
// or opens and checks the file, and the panel moves the bytes through that very descriptor
// (/proc/<agent>/fd/<n>): the bytes must arrive exactly, ranges included, new files must belong
// to the account, and a download the client abandons must end the agent.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TIMEOUT, MODES, processesOf, startModeBed, type FilesBed } from './bed.js';

const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.each(MODES)('streamed transfers (%s mode)', AGENT_TIMEOUT, (mode) => {
  let bed: FilesBed & { user: { uid: number; gid: number } | null };
  const auth = () => ({ authorization: `Bearer ${bed.panel.tokens.user}` });
  const upload = (name: string, bytes: Buffer<ArrayBuffer>) => {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    return fetch(`${bed.panel.url}/api/files/upload?account_id=1&path=/public_html`, {
      method: 'POST',
      body: form,
      headers: auth(),
    });
  };
  const download = (name: string, init: RequestInit = {}) =>
    fetch(`${bed.panel.url}/api/files/download?account_id=1&path=/public_html/${name}`, {
      ...init,
      headers: { ...auth(), ...(init.headers ?? {}) },
    });

  beforeAll(async () => {
    bed = await startModeBed(mode);
  });
  afterAll(async () => {
    await bed.stop();
  });

  it('moves an upload in and a download out byte for byte, ranges included', async () => {
    const bytes = randomBytes(5 * 1024 * 1024 + 123);
    const up = await upload('blob.bin', bytes);
    expect(up.status).toBe(200);
    expect((await up.json()).data).toEqual({ path: '/public_html/blob.bin', size: bytes.length, ignored_files: 0 });
    const file = path.join(bed.home(1), 'public_html', 'blob.bin');
    expect(sha(readFileSync(file))).toBe(sha(bytes));
    if (bed.user) expect(statSync(file)).toMatchObject({ uid: bed.user.uid, gid: bed.user.gid });
    expect(readdirSync(path.dirname(file)).filter((n) => n.startsWith('.vp-'))).toEqual([]);

    let res = await download('blob.bin');
    expect(res.status).toBe(200);
    expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(sha(bytes));
    // A range across the panel's 256 KiB buffers, and a suffix range.
    res = await download('blob.bin', { headers: { range: 'bytes=200000-900000' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 200000-900000/${bytes.length}`);
    expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(sha(bytes.subarray(200000, 900001)));
    res = await download('blob.bin', { headers: { range: 'bytes=-10' } });
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(-10))).toBe(true);
    res = await download('blob.bin', { headers: { range: `bytes=${bytes.length}-` } });
    expect(res.status).toBe(416);
    res = await download('blob.bin', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(await res.text()).toBe('');
  });

  it('ends cleanly when the client abandons a download', async () => {
    const bytes = randomBytes(24 * 1024 * 1024);
    expect((await upload('big.bin', bytes)).status).toBe(200);
    const abort = new AbortController();
    const res = await download('big.bin', { signal: abort.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    abort.abort();
    await reader.cancel().catch(() => undefined);
    const list = await bed.panel.request('GET', '/api/files/list?account_id=1&path=/public_html', { as: 'user' });
    expect(list.status).toBe(200);
    if (!bed.user) return;
    let left = processesOf(bed.user.uid);
    for (let i = 0; i < 600 && left.length > 0; i++) {
      await sleep(50);
      left = processesOf(bed.user.uid);
    }
    expect(left).toEqual([]);
  });
});
