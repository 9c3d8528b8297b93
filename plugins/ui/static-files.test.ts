import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentType, safeSegments, serveFile } from './static-files.js';

describe('ui static files', () => {
  it('splits URL tails into safe segments only', () => {
    expect(safeSegments('js/core/api.js')).toEqual(['js', 'core', 'api.js']);
    expect(safeSegments('a%20b.css')).toEqual(['a b.css']);
    for (const bad of [
      '../x',
      'a/../../x',
      '%2e%2e/x',
      'a//b',
      '',
      '.env',
      'a/.git/config',
      'a%00b',
      'a\\..\\b',
      '%E0%A4%A',
      'a/',
    ])
      expect({ bad, seg: safeSegments(bad) }).toEqual({ bad, seg: null });
  });

  it('knows the content types the UI serves', () => {
    expect(contentType('main.js')).toBe('text/javascript; charset=utf-8');
    expect(contentType('app.CSS')).toBe('text/css; charset=utf-8');
    expect(contentType('favicon.svg')).toBe('image/svg+xml');
    expect(contentType('index.html')).toBe('text/html; charset=utf-8');
    expect(contentType('blob.bin')).toBe('application/octet-stream');
  });

  describe('serveFile', () => {
    let dir: string;
    let server: Server;
    let url: string;

    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'ui-static-'));
      writeFileSync(path.join(dir, 'app.css'), 'body{}');
      symlinkSync('/etc/hostname', path.join(dir, 'out.css'));
      symlinkSync(path.join(dir, 'app.css'), path.join(dir, 'in.css'));
      server = createServer(async (req, res) => {
        const segments = safeSegments((req.url ?? '/').slice(1));
        if (!segments || !(await serveFile(req, res, dir, segments, 'revalidate'))) res.writeHead(404).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    });

    it('serves files inside the root with ETag revalidation, and no link out of it', async () => {
      const ok = await fetch(`${url}/app.css`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('cache-control')).toBe('no-cache');
      expect(ok.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
      expect(await ok.text()).toBe('body{}');
      expect((await fetch(`${url}/app.css`, { headers: { 'if-none-match': ok.headers.get('etag')! } })).status).toBe(
        304,
      );
      expect((await fetch(`${url}/in.css`)).status).toBe(200);
      expect((await fetch(`${url}/out.css`)).status).toBe(404);
      expect((await fetch(`${url}/missing.css`)).status).toBe(404);
      expect((await fetch(url + '/')).status).toBe(404);
    });
  });
});
