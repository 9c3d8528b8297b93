// Chromium as the UI tests use it: load a page from a local HTTP server and read what rendered.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServices } from '../bed/index.js';
import { withPage } from '../bed/helpers/browser.js';

const bed = useServices('chromium');

describe.skipIf(bed.skip)('smoke: chromium', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>VeloPanel smoke</title><p id="x"></p><script>x.textContent = "js ran"</script>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('loads a local page and reads its title and script output', async () => {
    await withPage(bed.chromium, async (page) => {
      await page.goto(url);
      expect(await page.title()).toBe('VeloPanel smoke');
      expect(await page.textContent('#x')).toBe('js ran');
    });
  });
});
