// Hostile class 6: path tricks — `..`, `%2e%2e`, double encoding, NUL, absolute paths, the
// `/home/alice2` prefix trap, control characters, overlong names, Unicode look-alikes.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TIMEOUT, MODES, startModeBed, treeState, type FilesBed } from './bed.js';

const DOTS = [
  ['..', /must not contain '\.\.'/],
  ['../alice2/secret.txt', /must not contain '\.\.'/],
  ['/public_html/../../alice2/secret.txt', /must not contain '\.\.'/],
  ['/public_html/%2e%2e/%2e%2e/alice2/secret.txt', /double encoding/],
  ['%252e%252e/alice2/secret.txt', /double encoding/],
  ['..%2falice2%2fsecret.txt', /double encoding/],
  ['/public_html/x\u0000.txt', /NUL/],
  ['..\u0001/alice2', /control characters/],
  ['/public_html/a\nb', /control characters/],
  ['/public_html/\u2025/alice2', /look-alike/],
  ['/public_html/\uff0e\uff0e/alice2', /look-alike/],
  ['/public_html/a\uff0fb', /look-alike/],
  ['..\\alice2\\secret.txt', /'\/' as separator/],
  [`/${'a'.repeat(256)}`, /longer than 255 bytes/],
] as const;

describe.each(MODES)('path tricks are refused with a clear 400 and change nothing (%s mode)', AGENT_TIMEOUT, (mode) => {
  let bed: FilesBed;
  let before: Record<string, string>;
  beforeAll(async () => {
    bed = await startModeBed(mode);
    before = treeState(bed.root, bed.home(1));
  });
  afterAll(async () => {
    await bed.stop();
  });

  it.each(DOTS)('GET read and list refuse %j', async (bad, message) => {
    for (const route of ['read', 'list', 'download']) {
      const res = await bed.panel.request('GET', `/api/files/${route}?account_id=1&path=${encodeURIComponent(bad)}`);
      expect(res.status, `${route} ${bad}`).toBe(400);
      expect(res.body.error).toMatch(/^path: /);
      expect(res.body.error).toMatch(message);
    }
  });

  it.each(DOTS)('write, mkdir, chmod, delete, rename, copy refuse %j', async (bad, message) => {
    const calls: [string, string, object][] = [
      ['POST', 'write', { path: bad, content: 'pwned' }],
      ['POST', 'mkdir', { path: bad }],
      ['POST', 'chmod', { path: bad, mode: '777' }],
      ['DELETE', 'delete', { path: bad }],
      ['POST', 'rename', { from: '/public_html', to: bad }],
      ['POST', 'copy', { from: bad, to: '/stolen' }],
      ['POST', 'extract', { path: '/a.zip', destination: bad }],
      ['POST', 'compress', { paths: [bad], destination: '/x.tar.gz' }],
    ];
    for (const [method, route, body] of calls) {
      const res = await bed.panel.request(method, `/api/files/${route}`, { body: { account_id: 1, ...body } });
      expect(res.status, `${route} ${bad}`).toBe(400);
      expect(res.body.error).toMatch(message);
    }
  });

  it('refuses a hostile upload file name and query path', async () => {
    for (const [name, folder] of [
      ['../../alice2/evil.txt', '/public_html'],
      ['ok.txt', '/../alice2'],
      ['ok.txt', '/%2e%2e/alice2'],
    ]) {
      const form = new FormData();
      form.append('file', new Blob(['pwned']), name);
      const res = await fetch(`${bed.panel.url}/api/files/upload?account_id=1&path=${encodeURIComponent(folder!)}`, {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${bed.panel.tokens.admin}` },
      });
      expect(res.status, `${folder}/${name}`).toBe(400);
      expect((await res.json()).error).toMatch(/^(filename|path): /);
    }
  });

  it('treats absolute paths as inside the home: /etc/passwd is <home>/etc/passwd', async () => {
    let res = await bed.panel.request('GET', '/api/files/read?account_id=1&path=/etc/passwd');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe("'/etc' does not exist");
    res = await bed.panel.request(
      'GET',
      `/api/files/read?account_id=1&path=${encodeURIComponent(path.join(bed.home(2), 'secret.txt'))}`,
    );
    expect(res.status).toBe(404);
    res = await bed.panel.request('POST', '/api/files/write', {
      body: { account_id: 1, path: '/etc/passwd', content: 'x' },
    });
    expect(res.status).toBe(404);
    expect(existsSync('/etc/passwd')).toBe(true);
  });

  it('does not fall into the /home/alice2 prefix trap', async () => {
    // account 1's home is …/alice (or the system user's); a sibling whose name shares the prefix stays out of reach.
    const sibling = path.basename(bed.home(2));
    for (const p of [
      `/../${sibling}/secret.txt`,
      `../${sibling}/secret.txt`,
      `/${sibling}/secret.txt`,
      `${bed.home(2)}/secret.txt`,
    ]) {
      const res = await bed.panel.request('GET', `/api/files/read?account_id=1&path=${encodeURIComponent(p)}`);
      expect([400, 404], p).toContain(res.status);
      expect(JSON.stringify(res.body)).not.toContain('alice2 secret');
    }
    expect(readFileSync(path.join(bed.home(2), 'secret.txt'), 'utf8')).toBe('alice2 secret\n');
  });

  it('changed nothing on disk', () => {
    expect(treeState(bed.root, bed.home(1))).toEqual(before);
  });
});
