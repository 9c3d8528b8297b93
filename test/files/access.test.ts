// Hostile classes 1, 10 and 18 for the file routes: no token, wrong owner, wrong types.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFilesBed, treeState, type FilesBed } from './bed.js';

describe('file routes: who may act on which account', () => {
  let bed: FilesBed;
  beforeAll(async () => {
    bed = await startFilesBed();
  });
  afterAll(async () => {
    await bed.stop();
  });
  const list = (id: number, as: 'admin' | 'reseller' | 'user' | 'anon') =>
    bed.panel.request('GET', `/api/files/list?account_id=${id}&path=/`, { as });

  it('admin reaches every account; a reseller only its own; a user only its own', async () => {
    expect((await list(1, 'admin')).status).toBe(200);
    expect((await list(3, 'admin')).status).toBe(200);
    expect((await list(3, 'reseller')).status).toBe(200);
    expect((await list(1, 'reseller')).status).toBe(403);
    expect((await list(2, 'reseller')).status).toBe(403);
    expect((await list(1, 'user')).status).toBe(200);
    const other = await list(2, 'user');
    expect(other.status).toBe(403);
    expect(other.body.error).toBe('This resource belongs to another owner');
    expect((await list(99, 'admin')).status).toBe(404);
    expect((await list(1, 'anon')).status).toBe(401);
  });

  it('answers every file route without a token with 401, and unknown methods with 405', async () => {
    const routes = bed.panel.kernel.http.routes.filter((r) => r.pluginId === 'files');
    expect(routes.map((r) => r.def.path).sort()).toEqual([
      '/api/files/chmod',
      '/api/files/compress',
      '/api/files/copy',
      '/api/files/delete',
      '/api/files/download',
      '/api/files/extract',
      '/api/files/list',
      '/api/files/mkdir',
      '/api/files/read',
      '/api/files/rename',
      '/api/files/upload',
      '/api/files/write',
    ]);
    for (const r of routes) {
      const query = r.def.method === 'GET' || r.def.rawBody ? '?account_id=1&path=/' : '';
      const res = await bed.panel.request(r.def.method, r.def.path + query, {
        as: 'anon',
        ...(query ? {} : { body: { account_id: 1, path: '/x' } }),
      });
      expect(res.status, r.def.path).toBe(401);
      expect((await bed.panel.request('PUT', r.def.path, { as: 'admin' })).status, r.def.path).toBe(405);
    }
  });

  it('refuses a user writing, deleting or uploading into another account, changing nothing', async () => {
    const before = treeState(bed.root);
    const asUser = { as: 'user' as const };
    for (const [method, route, body] of [
      ['POST', 'write', { account_id: 2, path: '/secret.txt', content: 'pwned' }],
      ['DELETE', 'delete', { account_id: 2, path: '/secret.txt' }],
      ['POST', 'chmod', { account_id: 2, path: '/secret.txt', mode: '777' }],
      ['POST', 'copy', { account_id: 2, from: '/secret.txt', to: '/x' }],
    ] as const) {
      const res = await bed.panel.request(method, `/api/files/${route}`, { body, ...asUser });
      expect(res.status, route).toBe(403);
    }
    const form = new FormData();
    form.append('file', new Blob(['pwned']), 'x.php');
    const res = await fetch(`${bed.panel.url}/api/files/upload?account_id=2&path=/`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${bed.panel.tokens.user}` },
    });
    expect(res.status).toBe(403);
    expect(treeState(bed.root)).toEqual(before);
    expect(readFileSync(path.join(bed.home(2), 'secret.txt'), 'utf8')).toBe('alice2 secret\n');
  });

  it('refuses JSON type confusion with a 400 naming the field', async () => {
    const bad: [object, RegExp][] = [
      [{ account_id: '1', path: '/x', content: 'a' }, /^account_id: /],
      [{ account_id: 1, path: ['/x'], content: 'a' }, /^path: /],
      [{ account_id: 1, path: '/x', content: { a: 1 } }, /^content: /],
      [{ account_id: 1, path: null, content: 'a' }, /^path: /],
      [{ account_id: 1e300, path: '/x', content: 'a' }, /^account_id: /],
      [{ account_id: 1, path: '', content: 'a' }, /^path: /],
      [{ account_id: 1, path: '/x', content: 'a', extra: true }, /^extra: unknown field/],
      [{ account_id: 1, path: 'x'.repeat(5000), content: 'a' }, /^path: /],
    ];
    for (const [body, message] of bad) {
      const res = await bed.panel.request('POST', '/api/files/write', { body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error).toMatch(message);
    }
    const res = await bed.panel.request('POST', '/api/files/chmod', {
      body: { account_id: 1, path: '/public_html', mode: 755 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^mode: /);
  });

  it('refuses text writes over the limit and non-multipart uploads', async () => {
    let res = await bed.panel.request('POST', '/api/files/write', {
      body: { account_id: 1, path: '/big.txt', content: 'x'.repeat(1024 * 1024 + 1) },
    });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatch(/POST \/api\/files\/upload/);
    res = await bed.panel.request('POST', '/api/files/upload?account_id=1&path=/', {
      raw: 'just bytes',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.status).toBe(415);
    res = await bed.panel.request('POST', '/api/files/upload?account_id=1&path=/', {
      raw: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--x--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('body: the upload has no file part');
  });
});
