// The compiled code the UI serves: the shell and the pages of the plugins present in the build,
// laid out as in plugins/, and nothing else of the compiled tree (plugins' server code).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionRegistry, Logger } from '../../sdk/index.js';
import { loadUiAssets, type UiAssets } from './assets.js';
import { NavigationRegistry } from './navigation.js';
import { uiRequestHandler } from './requests.js';

const project = path.resolve(import.meta.dirname, '../..');

describe('ui compiled code', () => {
  let root: string;
  let assets: UiAssets;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'vp-ui-code-'));
    const put = (rel: string, text = 'export {};\n') => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    };
    put('ui/client/main.js');
    put('ui/client/kit.js');
    put('ui/index.js', 'server code');
    put('ssl/ui/pages.js', 'export const pages = [];\n');
    put('ssl/ui/ssl.js');
    put('ssl/index.js', 'server code');
    put('mysql/index.js', 'server code');
    put('half/ui/helper.js');
    put('Bad_Id/ui/pages.js');
    assets = loadUiAssets(project, path.join(root, 'ui', 'client'));
    const nav = new NavigationRegistry({ entries: () => [] } as unknown as ExtensionRegistry, {} as Logger);
    const handle = uiRequestHandler(assets, nav);
    server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(root, { recursive: true, force: true });
  });

  it('finds the plugins whose pages the build has, and names them in index.html', () => {
    expect(assets.pagePlugins).toEqual(['ssl']);
    expect(assets.indexHtml).toContain('<meta name="velopanel-plugin-pages" content="ssl">');
    expect(assets.indexHtml).toContain(`src="/ui/${assets.build}/js/ui/client/main.js"`);
  });

  it('serves the shell and the pages of plugins in the build, nothing else of the compiled tree', async () => {
    const js = `${url}/ui/${assets.build}/js`;
    for (const ok of ['ui/client/main.js', 'ui/client/kit.js', 'ssl/ui/pages.js', 'ssl/ui/ssl.js'])
      expect({ ok, status: (await fetch(`${js}/${ok}`)).status }).toEqual({ ok, status: 200 });
    for (const no of [
      'ui/index.js',
      'ssl/index.js',
      'mysql/index.js',
      'half/ui/helper.js',
      'Bad_Id/ui/pages.js',
      'main.js',
      'ui/client',
      'ssl/ui',
      'ui/ui/x.js',
      'ssl/ui/../index.js',
      'ssl/ui/%2e%2e/index.js',
    ])
      expect({ no, status: (await fetch(`${js}/${no}`)).status }).toEqual({ no, status: 404 });
  });

  it('changes the build id when a plugin\u2019s page changes', () => {
    writeFileSync(path.join(root, 'ssl/ui/ssl.js'), 'export const changed = 1;\n');
    expect(loadUiAssets(project, path.join(root, 'ui', 'client')).build).not.toBe(assets.build);
  });
});
