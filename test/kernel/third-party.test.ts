import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';

const stops: string[] = [];
const stopper = (id: string, deps: string[] = []) =>
  definePlugin({
    manifest: { id, version: '1.0.0', sdk: '^1.0.0', dependencies: deps },
    start(ctx) {
      ctx.onStop(() => {
        stops.push(id);
      });
    },
  });

describe('third-party plugin directory and shutdown order', () => {
  let panel: TestPanel;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-third-party-'));
    mkdirSync(path.join(dir, 'greeter'));
    writeFileSync(
      path.join(dir, 'greeter', 'package.json'),
      JSON.stringify({ name: 'greeter', type: 'module', main: 'main.js' }),
    );
    writeFileSync(
      path.join(dir, 'greeter', 'main.js'),
      `export default {
      manifest: { id: 'greeter', version: '0.2.0', sdk: '^1.0.0' },
      start(ctx) { ctx.route({ method: 'GET', path: '/api/greeter/hello', access: {}, handler: () => ({ hello: 'world' }) }); },
    };`,
    );
    mkdirSync(path.join(dir, 'broken'));
    writeFileSync(path.join(dir, 'broken', 'index.js'), `throw new Error('syntax of doom');`);
    panel = await startTestPanel({
      inline: [stopper('first'), stopper('second', ['first']), stopper('third', ['second'])],
      config: { plugins_dir: dir },
    });
  });
  afterAll(async () => {
    if (panel) await panel.stop().catch(() => undefined);
  });

  it('loads plugins from the configured directory', async () => {
    expect((await panel.request('GET', '/api/greeter/hello')).body).toEqual({ ok: true, data: { hello: 'world' } });
    const list = (await panel.request('GET', '/api/plugins')).body.data;
    expect(list.find((p: any) => p.id === 'greeter')).toMatchObject({
      source: 'third-party',
      state: 'active',
      version: '0.2.0',
    });
    expect(list.find((p: any) => p.id === 'broken')).toMatchObject({
      state: 'disabled',
      reason: 'broken: failed to load: syntax of doom',
    });
  });

  it('stops plugins in reverse dependency order', async () => {
    await panel.stop();
    expect(stops).toEqual(['third', 'second', 'first']);
  });
});
