// `npm start` serves the UI: the build compiles the client into dist/ and the built panel serves
// it at / with every module the app imports, the lazily loaded code editor bundle included.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('the built panel serves the web UI', () => {
  let dataDir: string;

  beforeAll(() => {
    execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-needed'], { cwd: root, stdio: 'pipe' });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'vp-ui-built-'));
  }, 300_000);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers / with the app and every module reachable from main.js', async () => {
    const child = spawn(process.execPath, [path.join(root, 'dist/core/main.js')], {
      env: {
        ...process.env,
        VELOPANEL_CONFIG: path.join(root, 'test/fixtures/no-managed-services.toml'),
        VELOPANEL_HOST: '127.0.0.1',
        VELOPANEL_PORT: '0',
        VELOPANEL_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise((r) => child.once('exit', r));
    try {
      for (let i = 0; i < 150 && !/plugins loaded/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
      expect(out).toMatch(/ui\(active\)/);
      const url = /listening on (http:\/\/[\d.:]+)/.exec(out)![1];
      const html = await (await fetch(`${url}/`)).text();
      const main = /src="(\/ui\/[0-9a-f]{12}\/js\/main\.js)"/.exec(html)![1]!;
      const seen = new Set<string>();
      const queue = [main];
      while (queue.length && seen.size < 200) {
        const file = queue.shift()!;
        if (seen.has(file)) continue;
        seen.add(file);
        const res = await fetch(url + file);
        expect({ file, status: res.status, type: res.headers.get('content-type') }).toEqual({
          file,
          status: 200,
          type: 'text/javascript; charset=utf-8',
        });
        const text = await res.text();
        // bundled packages only: a bare import (CodeMirror's) cannot load in a browser
        expect({ file, bare: /\bfrom\s*["'](?:codemirror|@codemirror\/|@lezer\/)/.test(text) }).toEqual({
          file,
          bare: false,
        });
        // static imports and lazy import('…') alike
        for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g))
          queue.push(new URL(m[1]!, `http://x${file}`).pathname);
      }
      expect(seen.size).toBeGreaterThan(20);
      // the code editor is one bundled module, loaded lazily by the file manager
      expect([...seen].filter((f) => f.endsWith('/js/vendor/editor.js'))).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
