import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFilesBed, type FilesBed } from './bed.js';

describe('file manager: seed endpoints and everyday operations (local mode)', () => {
  let bed: FilesBed;
  const home = () => bed.home(1);
  beforeAll(async () => {
    bed = await startFilesBed();
  });
  afterAll(async () => {
    await bed.stop();
  });

  it('writes, reads and lists with name, size, type, permissions, modified', async () => {
    const html = '<html><body><h1>Hello World</h1></body></html>';
    let res = await bed.panel.request('POST', '/api/files/write', {
      body: { account_id: 1, path: '/public_html/index.html', content: html },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ path: '/public_html/index.html', size: html.length });
    expect(readFileSync(path.join(home(), 'public_html/index.html'), 'utf8')).toBe(html);
    res = await bed.panel.request('GET', '/api/files/read?account_id=1&path=/public_html/index.html');
    expect(res.body.data).toMatchObject({ path: '/public_html/index.html', content: html, size: html.length });
    res = await bed.panel.request('GET', '/api/files/list?account_id=1&path=/public_html');
    expect(res.status).toBe(200);
    const entry = res.body.data.entries.find((e: { name: string }) => e.name === 'index.html');
    expect(entry).toMatchObject({ name: 'index.html', size: html.length, type: 'file', permissions: '644' });
    expect(Number.isNaN(Date.parse(entry.modified))).toBe(false);
    res = await bed.panel.request('GET', '/api/files/list?account_id=1&path=/');
    expect(res.body.data.entries.map((e: { name: string; type: string }) => [e.name, e.type])).toContainEqual([
      'public_html',
      'directory',
    ]);
    expect(Object.keys(res.body.data)).toEqual(['path', 'entries']);
  });

  it('pages a listing with optional limit and offset, adding the total', async () => {
    for (const n of ['a.txt', 'b.txt', 'c.txt']) writeFileSync(path.join(home(), 'public_html', n), n);
    let res = await bed.panel.request('GET', '/api/files/list?account_id=1&path=/public_html&limit=2&offset=1');
    expect(res.status).toBe(200);
    const all = (await bed.panel.request('GET', '/api/files/list?account_id=1&path=/public_html')).body.data.entries;
    expect(res.body.data).toEqual({ path: '/public_html', entries: all.slice(1, 3), total: all.length });
    res = await bed.panel.request('GET', '/api/files/list?account_id=1&path=/public_html&limit=0');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^limit: must be an integer from 1 to 100000/);
    res = await bed.panel.request('GET', '/api/files/list?account_id=1&path=/public_html&offset=-1');
    expect(res.body.error).toMatch(/^offset: must be an integer of 0 or more/);
  });

  it('creates folders with parents, sets modes 0–777 and refuses setuid bits', async () => {
    let res = await bed.panel.request('POST', '/api/files/mkdir', {
      body: { account_id: 1, path: '/public_html/assets/img' },
    });
    expect(res.status).toBe(200);
    expect(statSync(path.join(home(), 'public_html/assets/img')).isDirectory()).toBe(true);
    res = await bed.panel.request('POST', '/api/files/mkdir', {
      body: { account_id: 1, path: '/public_html/assets/img' },
    });
    expect(res.status).toBe(409);
    res = await bed.panel.request('POST', '/api/files/chmod', {
      body: { account_id: 1, path: '/public_html/assets', mode: '750' },
    });
    expect(res.body.data).toEqual({ path: '/public_html/assets', permissions: '750' });
    expect(statSync(path.join(home(), 'public_html/assets')).mode & 0o7777).toBe(0o750);
    for (const mode of ['4755', '2755', '1777', '800', 'rwx', '-1', '0x1ff']) {
      res = await bed.panel.request('POST', '/api/files/chmod', {
        body: { account_id: 1, path: '/public_html/assets', mode },
      });
      expect(res.status, mode).toBe(400);
      expect(res.body.error).toMatch(/^mode: must be an octal string from 0 to 777/);
    }
    expect(statSync(path.join(home(), 'public_html/assets')).mode & 0o7777).toBe(0o750);
  });

  it('renames, copies and deletes recursively inside the home', async () => {
    writeFileSync(path.join(home(), 'public_html/assets/img/logo.svg'), '<svg/>');
    let res = await bed.panel.request('POST', '/api/files/copy', {
      body: { account_id: 1, from: '/public_html/assets', to: '/assets-copy' },
    });
    expect(res.status).toBe(200);
    expect(readFileSync(path.join(home(), 'assets-copy/img/logo.svg'), 'utf8')).toBe('<svg/>');
    expect(statSync(path.join(home(), 'assets-copy')).mode & 0o777).toBe(0o750);
    res = await bed.panel.request('POST', '/api/files/rename', {
      body: { account_id: 1, from: '/assets-copy', to: '/public_html/moved' },
    });
    expect(res.status).toBe(200);
    expect(existsSync(path.join(home(), 'public_html/moved/img/logo.svg'))).toBe(true);
    res = await bed.panel.request('POST', '/api/files/rename', {
      body: { account_id: 1, from: '/public_html/moved', to: '/public_html/moved/inside' },
    });
    expect(res.status).toBe(400);
    res = await bed.panel.request('POST', '/api/files/copy', {
      body: { account_id: 1, from: '/public_html/index.html', to: '/public_html/moved' },
    });
    expect(res.status).toBe(409);
    res = await bed.panel.request('DELETE', '/api/files/delete', {
      body: { account_id: 1, path: '/public_html/moved' },
    });
    expect(res.body.data).toEqual({ path: '/public_html/moved', removed: 3 });
    expect(existsSync(path.join(home(), 'public_html/moved'))).toBe(false);
    res = await bed.panel.request('DELETE', '/api/files/delete', { body: { account_id: 1, path: '/' } });
    expect(res.status).toBe(400);
    expect(existsSync(home())).toBe(true);
  });

  it('caps text reads and points larger or binary files to the download route', async () => {
    writeFileSync(path.join(home(), 'big.log'), 'x'.repeat(1024 * 1024 + 1));
    writeFileSync(path.join(home(), 'pic.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    let res = await bed.panel.request('GET', '/api/files/read?account_id=1&path=/big.log');
    expect(res.status).toBe(413);
    expect(res.body.error).toContain('GET /api/files/download');
    res = await bed.panel.request('GET', '/api/files/read?account_id=1&path=/pic.png');
    expect(res.status).toBe(415);
    expect(res.body.error).toContain('binary');
    expect(res.body.error).toContain('GET /api/files/download');
    res = await bed.panel.request('GET', '/api/files/read?account_id=1&path=/public_html');
    expect(res.status).toBe(409);
    res = await bed.panel.request('GET', '/api/files/read?account_id=1&path=/nope.txt');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe("'/nope.txt' does not exist");
  });

  it('uploads multipart to a temp file then renames, and downloads with disposition and ranges', async () => {
    const form = new FormData();
    const bytes = Buffer.from('0123456789abcdef'.repeat(1000));
    form.append('file', new Blob([bytes]), 'data "q".bin');
    let res = await fetch(`${bed.panel.url}/api/files/upload?account_id=1&path=/public_html`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${bed.panel.tokens.admin}` },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).data).toEqual({
      path: '/public_html/data "q".bin',
      size: bytes.length,
      ignored_files: 0,
    });
    expect(readFileSync(path.join(home(), 'public_html/data "q".bin')).equals(bytes)).toBe(true);
    res = await fetch(`${bed.panel.url}/api/files/upload?account_id=1&path=/public_html`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${bed.panel.tokens.admin}` },
    });
    expect(res.status).toBe(409);
    const url = `${bed.panel.url}/api/files/download?account_id=1&path=${encodeURIComponent('/public_html/data "q".bin')}`;
    const auth = { authorization: `Bearer ${bed.panel.tokens.user}` };
    res = await fetch(url, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="data _q_.bin"; filename*=UTF-8''data%20%22q%22.bin`,
    );
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    res = await fetch(url, { headers: { ...auth, range: 'bytes=10-19' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 10-19/${bytes.length}`);
    expect(await res.text()).toBe('abcdef0123');
    res = await fetch(url, { headers: { ...auth, range: 'bytes=-4' } });
    expect(await res.text()).toBe('cdef');
    res = await fetch(url, { headers: { ...auth, range: `bytes=${bytes.length}-` } });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    res = await fetch(url, { method: 'HEAD', headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
  });

  it('leaves no temp files behind', async () => {
    const res = await bed.panel.request('GET', '/api/files/list?account_id=1&path=/public_html');
    expect(res.body.data.entries.filter((e: { name: string }) => e.name.startsWith('.vp-'))).toEqual([]);
  });
});
