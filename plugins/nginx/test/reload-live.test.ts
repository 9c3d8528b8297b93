// A reload's answer means the new configuration serves, with a real nginx of two workers: right
// after each change returns, a fresh connection gets the new content. The panel tells the old
// workers to quit as soon as as many new ones serve (nginx's master would 100 ms later), which
// nginx logs at notice level with the sender's pid; when the new workers do not come (a reload
// nginx refused, fewer workers asked for), the old ones are left to the master, as before. Root
// case: master as root, workers as the web user (linux mode); non-root case: the whole nginx and
// the panel as one unprivileged user (local mode).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childPids, isAlive, readPid, webServerEngines, type WebServerEngine } from '../../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../../sdk/testing/index.js';
import { passwdIds } from '../../../test/bed/users.js';
import { getVia, startPrivateNginx, type PrivateNginx } from '../../../test/webserver/private-nginx.js';

const site = (port: number, host: string, body: string) =>
  `server { listen 127.0.0.1:${port}; server_name ${host}; location / { return 200 "${body}"; } }\n`;

/** Old workers the panel itself told to quit, from nginx's notice lines. */
function quitsFromPanel(nginx: PrivateNginx): number {
  const log = readFileSync(path.join(nginx.dir, 'logs', 'error.log'), 'utf8');
  return log.split('\n').filter((l) => l.includes(`signal 3 (SIGQUIT) received from ${process.pid},`)).length;
}

async function setUp(opts: { runAs?: { uid: number; gid: number }; proxyCache?: boolean } = {}) {
  const nginx = await startPrivateNginx({ workers: 2, notices: true, ...opts });
  // A refused reload counts as failed after 5 s instead of 30.
  const config = { plugins: { nginx: { ...nginx.pluginConfig, reload_wait_ms: 5000 } } };
  const panel = await startTestPanel({ plugins: ['nginx'], config: config as never });
  const entry = panel.kernel.extensions.entries(webServerEngines).find((e) => e.entryId === 'nginx');
  if (!entry?.available) throw new Error(`nginx engine not available: ${entry?.reason}`);
  return { nginx, panel, engine: entry.value as WebServerEngine };
}

describe('nginx reload answers once the new configuration serves (master as root)', () => {
  let nginx: PrivateNginx;
  let panel: TestPanel;
  let engine: WebServerEngine;
  beforeAll(async () => {
    ({ nginx, panel, engine } = await setUp());
  });
  afterAll(async () => {
    await panel?.stop();
    await nginx?.stop();
  });

  it('serves each change on a fresh connection right after it returns, the old workers retired by the panel', async () => {
    const name = engine.fragmentName('live.test');
    for (let i = 0; i < 25; i++) {
      const r = await engine.apply({
        write: [{ name, content: site(nginx.port, 'live.test', `gen-${i}`) }],
        remove: [],
      });
      expect(r.reloaded).toBe(true);
      expect(await getVia(nginx.port, 'live.test')).toEqual({ status: 200, body: `gen-${i}` });
    }
    // Two old workers per reload; on a loaded machine the master's own QUIT may come first for some.
    expect(quitsFromPanel(nginx)).toBeGreaterThan(0);
  });

  it('leaves the old workers to the master when fewer new ones are asked for', async () => {
    const conf = nginx.pluginConfig.conf as string;
    const quits = quitsFromPanel(nginx);
    writeFileSync(conf, readFileSync(conf, 'utf8').replace('worker_processes 2;', 'worker_processes 1;'));
    const name = engine.fragmentName('live.test');
    await engine.apply({ write: [{ name, content: site(nginx.port, 'live.test', 'one-worker') }], remove: [] });
    expect(await getVia(nginx.port, 'live.test')).toEqual({ status: 200, body: 'one-worker' });
    expect(childPids(readPid(path.join(nginx.dir, 'nginx.pid'))!).size).toBe(1);
    expect(quitsFromPanel(nginx)).toBe(quits);
  });

  it('leaves the old workers serving when nginx refuses the reload (no new workers)', async () => {
    const master = readPid(path.join(nginx.dir, 'nginx.pid'))!;
    const workers = childPids(master);
    const quits = quitsFromPanel(nginx);
    // Written behind the engine's back (it tests before it reloads): the master refuses it on HUP.
    writeFileSync(path.join(nginx.sitesDir, engine.fragmentName('broken.test')), 'server { nonsense; }\n');
    await expect(engine.reload()).rejects.toThrow(/kept its previous configuration/);
    expect(childPids(master)).toEqual(workers);
    expect(await getVia(nginx.port, 'live.test')).toEqual({ status: 200, body: 'one-worker' });
    expect(quitsFromPanel(nginx)).toBe(quits);
  }, 60_000);
});

describe('nginx reload answers once the new configuration serves (nginx and panel as one user)', () => {
  const nobody = passwdIds('nobody')!;
  let nginx: PrivateNginx;
  let panel: TestPanel;
  let engine: WebServerEngine;
  beforeAll(async () => {
    ({ nginx, panel, engine } = await setUp({ runAs: nobody }));
  });
  afterAll(async () => {
    await panel?.stop();
    await nginx?.stop();
  });

  it('retires the old workers as that user too', async () => {
    const seteuid = process.seteuid;
    if (!seteuid) throw new Error('process.seteuid is needed (POSIX only)');
    for (let i = 0; i < 10; i++) {
      writeFileSync(
        path.join(nginx.sitesDir, engine.fragmentName('own.test')),
        site(nginx.port, 'own.test', `own-${i}`),
      );
      // The reload as the unprivileged user alone (this file's process, back to root after).
      seteuid(nobody.uid);
      try {
        expect((await engine.reload()).reloaded).toBe(true);
      } finally {
        seteuid(0);
      }
      expect(await getVia(nginx.port, 'own.test')).toEqual({ status: 200, body: `own-${i}` });
    }
    expect(quitsFromPanel(nginx)).toBeGreaterThan(0);
  });
});

describe('nginx reload answers once the new configuration serves (with a cache manager)', () => {
  let nginx: PrivateNginx;
  let panel: TestPanel;
  let engine: WebServerEngine;
  beforeAll(async () => {
    ({ nginx, panel, engine } = await setUp({ proxyCache: true }));
  });
  afterAll(async () => {
    await panel?.stop();
    await nginx?.stop();
  });

  it('answers once the old workers are gone, without waiting for the old cache manager', async () => {
    const master = readPid(path.join(nginx.dir, 'nginx.pid'))!;
    const cacheManager = () =>
      [...childPids(master)].find(
        (p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')[0] === 'nginx: cache manager process',
      );
    const name = engine.fragmentName('cached.test');
    let answeredBeforeItLeft = 0;
    for (let i = 0; i < 10; i++) {
      const oldManager = cacheManager();
      expect(oldManager).toBeDefined();
      await engine.apply({ write: [{ name, content: site(nginx.port, 'cached.test', `c-${i}`) }], remove: [] });
      if (isAlive(oldManager!)) answeredBeforeItLeft++;
      expect(await getVia(nginx.port, 'cached.test')).toEqual({ status: 200, body: `c-${i}` });
    }
    // The master tells the old cache manager to quit 100 ms after the new workers start; the
    // answer came before that at least once (waiting for it, every answer came after).
    expect(answeredBeforeItLeft).toBeGreaterThan(0);
    expect(quitsFromPanel(nginx)).toBeGreaterThan(0);
  });
});
