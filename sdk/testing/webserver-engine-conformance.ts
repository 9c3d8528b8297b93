import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { isPanelError } from '../errors.js';
import type { VhostSpec } from '../points/webserver.js';
import { MANAGED_MARKER, type WebServerEngine } from '../points/webserver-engines.js';
import { defineConformanceSuite } from './conformance.js';

/** What the web-server engine suite needs besides the engine. */
export interface WebServerEngineSubject {
  engine: WebServerEngine;
  /** Directory the engine keeps its fragments in (checked for leftovers and operator files). */
  vhostsDir: string;
  /** A directory the web server can read, where the suite makes document roots. */
  workDir: string;
  /** GET a page through the running server with this Host; absent when no server runs in the test. */
  fetch?(host: string, urlPath: string): Promise<{ status: number; body: string }>;
  /** A variant of a spec the server's own test refuses (absent when the engine cannot test). */
  broken?(spec: VhostSpec): VhostSpec;
}

const HOSTILE = ['/srv/x"; include /etc/shadow; #', '/srv/x\nserver {', '/srv/$host', '/srv/x}', "/srv/x' y"];

/** The conformance suite of the `webserver-engines` point; run it with `webServerEngineSuite.run(id, subject)`. */
export const webServerEngineSuite = defineConformanceSuite<WebServerEngineSubject>('webserver-engines', (get) => {
  let n = 0;
  const spec = async (over: Partial<VhostSpec> = {}): Promise<VhostSpec> => {
    const { workDir } = await get();
    const root = path.join(workDir, `root${++n}`);
    mkdirSync(root, { recursive: true, mode: 0o755 });
    writeFileSync(path.join(root, 'index.html'), `site ${n}`);
    return {
      domain: `conformance${n}.test`,
      aliases: [],
      documentRoot: root,
      accountId: n,
      accountUsername: `acct${n}`,
      homeDir: workDir,
      suspended: false,
      ...over,
    };
  };
  const leftovers = async () => readdirSync((await get()).vhostsDir).filter((f) => /\.vp-(new|old)$/.test(f));

  it('renders deterministically, names fragments by domain and marks them as managed', async () => {
    const { engine } = await get();
    const s = await spec({ aliases: ['alias-of-one.test'] });
    const a = engine.render(s);
    expect(engine.render(structuredClone(s))).toEqual(a);
    expect(a.name).toBe(engine.fragmentName(s.domain));
    expect(a.content.startsWith(MANAGED_MARKER)).toBe(true);
    expect(a.content).toContain('alias-of-one.test');
  });

  it('refuses values that would break a config even if a caller forgot to validate them', async () => {
    const { engine } = await get();
    const base: VhostSpec = {
      domain: 'hostile.test',
      aliases: [],
      documentRoot: '/srv/ok',
      accountId: 1,
      accountUsername: 'h',
      homeDir: '/srv',
      suspended: false,
    };
    for (const documentRoot of HOSTILE) expect(() => engine.render({ ...base, documentRoot })).toThrow();
    for (const domain of ['a.test\nserver{', 'a.test;', 'a"b.test'])
      expect(() => engine.render({ ...base, domain })).toThrow();
    expect(() => engine.render({ ...base, aliases: ['b.test }'] })).toThrow();
    expect(() => engine.render({ ...base, tls: { certificate: '/c.pem"; x', key: '/k.pem' } })).toThrow();
    expect(() => engine.fragmentName('a.test/../../etc')).toThrow();
  });

  it('applies, lists and serves a change, and an unchanged apply does nothing', async () => {
    const { engine, fetch } = await get();
    const s = await spec({ aliases: ['conformance-alias.test'] });
    const f = engine.render(s);
    const r = await engine.apply({ write: [f], remove: [] });
    expect(r).toMatchObject({ written: 1, removed: 0 });
    expect((await engine.list()).get(f.name)).toBe(f.content);
    expect([...(await engine.list([f.name, 'absent.test.x'])).keys()]).toEqual([f.name]);
    expect(await engine.apply({ write: [], remove: [] })).toEqual({ written: 0, removed: 0, reloaded: false });
    expect(await leftovers()).toEqual([]);
    if (fetch) {
      expect(await fetch(s.domain, '/')).toEqual({ status: 200, body: `site ${n}` });
      expect(await fetch('conformance-alias.test', '/')).toEqual({ status: 200, body: `site ${n}` });
    }
  });

  it('serves a suspended page instead of the site while suspended', async () => {
    const { engine, fetch } = await get();
    const s = await spec();
    mkdirSync(path.join(s.documentRoot, '.well-known', 'acme-challenge'), { recursive: true });
    writeFileSync(path.join(s.documentRoot, '.well-known', 'acme-challenge', 'tok'), 'proof');
    await engine.apply({ write: [engine.render({ ...s, suspended: true })], remove: [] });
    if (!fetch) return;
    const page = await fetch(s.domain, '/');
    expect(page.body).not.toBe(`site ${n}`);
    expect(page.body).toMatch(/suspended/i);
    if (engine.capabilities.acmeWhileSuspended)
      expect(await fetch(s.domain, '/.well-known/acme-challenge/tok')).toEqual({ status: 200, body: 'proof' });
  });

  it("keeps the previous files and throws the server's message when its test refuses a change", async () => {
    const { engine, broken, fetch } = await get();
    if (!broken) return;
    const s = await spec();
    const good = engine.render(s);
    await engine.apply({ write: [good], remove: [] });
    const before = await engine.list();
    const error = await engine.apply({ write: [engine.render(broken(s))], remove: [] }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isPanelError(error)).toBe(true);
    expect((error as Error).message.length).toBeGreaterThan(10);
    expect(await engine.list()).toEqual(before);
    expect(await leftovers()).toEqual([]);
    if (fetch) expect(await fetch(s.domain, '/')).toEqual({ status: 200, body: `site ${n}` });
  });

  it('removes fragments and leaves files it did not write alone', async () => {
    const { engine, vhostsDir, fetch } = await get();
    writeFileSync(
      path.join(vhostsDir, `operator${engine.fragmentName('x.test').slice('x.test'.length)}`),
      '# not managed\n',
    );
    const names = [...(await engine.list()).keys()];
    expect(names.length).toBeGreaterThan(0);
    const r = await engine.apply({ write: [], remove: names });
    expect(r.removed).toBe(names.length);
    expect((await engine.list()).size).toBe(0);
    expect(readdirSync(vhostsDir).some((f) => f.startsWith('operator'))).toBe(true);
    if (fetch) expect((await fetch(`conformance${n}.test`, '/')).body).not.toBe(`site ${n}`);
  });

  it('reports status and version consistently', async () => {
    const { engine } = await get();
    const st = await engine.status();
    expect(st.engine).toBe(engine.id);
    expect(typeof st.installed).toBe('boolean');
    expect(st.vhosts_dir).toBe((await get()).vhostsDir);
    const version = await engine.version();
    if (st.installed) expect(version).toMatch(/\d+\.\d+/);
    else expect({ version, running: st.running, pid: st.pid }).toEqual({ version: null, running: false, pid: null });
  });

  it('says whether it logs bytes per domain, and lists only logs it writes', async () => {
    const { engine } = await get();
    const st = await engine.status();
    if (engine.capabilities.accessLogs) {
      expect(typeof engine.accessLogs).toBe('function');
      expect(st.access_logs).toMatchObject({ measured: true, dir: expect.any(String) });
      for (const f of await engine.accessLogs!()) {
        expect(path.isAbsolute(f.path) && f.path.startsWith(st.access_logs!.dir! + path.sep)).toBe(true);
        expect(Number.isSafeInteger(f.accountId) && f.accountId > 0).toBe(true);
      }
    } else if (st.access_logs) {
      expect(st.access_logs).toMatchObject({
        measured: false,
        dir: null,
        detail: expect.stringMatching(/not measured/),
      });
    }
  });
});
