// The VeloServe engine through the panel (its default engine): the managed section of the one TOML
// file, the operator's tables kept as written, aliases as their own [[virtualhost]], suspension,
// and the result checked against VeloServe's config schema. VeloServe cannot be installed here;
// the CLI path (config test / reload / --version) runs against a stand-in script with its contract.
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkVeloServeConfig } from '../../plugins/veloserve/schema.js';
import { accountBody, openTempDir, startHostingPanel, type HostingPanel } from './helpers.js';

const OPERATOR = `# operator's own settings
[server]
listen = "0.0.0.0:8080"
workers = "auto"

[php]
enable = true
mode = "socket"

[[virtualhost]]
domain = "*"
root = "/var/www/default"
`;

describe('VeloServe engine', () => {
  let h: HostingPanel;
  let dir: string;
  let config: string;
  const toml = () => parse(readFileSync(config, 'utf8')) as any;
  beforeAll(async () => {
    dir = openTempDir('velopanel-veloserve-');
    config = path.join(dir, 'veloserve.toml');
    writeFileSync(config, OPERATOR);
    h = await startHostingPanel({ engine: 'veloserve', config: { veloserve_config_path: config } });
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the binary as not installed', async () => {
    const st = (await h.panel.request('GET', '/api/veloserve/status')).body.data;
    expect(st).toMatchObject({
      engine: 'veloserve',
      installed: false,
      running: false,
      version: null,
      pid: null,
      config_path: config,
    });
    // VeloServe's configuration has no symlink policy: the status says so instead of pretending.
    expect(st.tenant_symlinks).toEqual({
      refused: false,
      note: expect.stringContaining('VeloServe cannot refuse symlinks'),
    });
    expect((await h.panel.request('GET', '/api/veloserve/version')).body.data).toEqual({
      engine: 'veloserve',
      version: null,
    });
  });

  it('writes a fragment per domain and the managed section, keeping the operator tables and the catch-all last', async () => {
    const a = (
      await h.panel.request('POST', '/api/accounts', { body: accountBody({ username: 'velo', domain: 'velo.test' }) })
    ).body.data;
    await h.panel.request('POST', '/api/domains', {
      body: { account_id: a.id, domain_name: 'velo-alias.test', domain_type: 'alias' },
    });
    await h.panel.request('POST', '/api/domains', {
      body: { account_id: a.id, domain_name: 'velo-addon.test', domain_type: 'addon' },
    });
    const text = readFileSync(config, 'utf8');
    expect(checkVeloServeConfig(text)).toBeNull();
    expect(text.startsWith('# operator\'s own settings\n[server]\nlisten = "0.0.0.0:8080"')).toBe(true);
    const doc = toml();
    expect(doc.server).toEqual({ listen: '0.0.0.0:8080', workers: 'auto' });
    expect(doc.php).toEqual({ enable: true, mode: 'socket' });
    // The www. names are VeloServe virtualhosts of their own, like aliases (no `aliases` field).
    expect(doc.virtualhost.map((v: any) => v.domain)).toEqual([
      'velo-addon.test',
      'www.velo-addon.test',
      'velo.test',
      'velo-alias.test',
      'www.velo.test',
      '*',
    ]);
    const byName = Object.fromEntries(doc.virtualhost.map((v: any) => [v.domain, v]));
    expect(byName['velo-alias.test'].root).toBe(byName['velo.test'].root);
    expect(byName['www.velo.test'].root).toBe(byName['velo.test'].root);
    expect(byName['www.velo-addon.test'].root).toBe(byName['velo-addon.test'].root);
    expect(byName['velo.test']).toEqual({
      domain: 'velo.test',
      root: path.join(a.home_dir, 'public_html'),
      platform: 'generic',
      index: ['index.php', 'index.html'],
    });
    expect(existsSync(path.join(dir, 'vhosts', 'velo.test.toml'))).toBe(true);
  });

  it('points a suspended host at its suspended page and back', async () => {
    const a = (await h.panel.request('GET', '/api/accounts')).body.data.find((x: any) => x.username === 'velo');
    await h.panel.request('POST', `/api/accounts/${a.id}/suspend`);
    const root = toml().virtualhost.find((v: any) => v.domain === 'velo.test').root;
    expect(root).toBe(path.join(dir, 'suspended', 'velo.test'));
    expect(readFileSync(path.join(root, 'index.html'), 'utf8')).toContain('This account has been suspended');
    await h.panel.request('POST', `/api/accounts/${a.id}/unsuspend`);
    expect(toml().virtualhost.find((v: any) => v.domain === 'velo.test').root).toBe(
      path.join(a.home_dir, 'public_html'),
    );
  });

  it('refuses a domain the operator already defines and keeps the file as it was', async () => {
    const taken = '[[virtualhost]]\ndomain = "taken.test"\nroot = "/var/www/taken"\n\n[[virtualhost]]\ndomain = "*"';
    writeFileSync(config, readFileSync(config, 'utf8').replace('[[virtualhost]]\ndomain = "*"', taken));
    const before = readFileSync(config, 'utf8');
    const a = (await h.panel.request('GET', '/api/accounts')).body.data.find((x: any) => x.username === 'velo');
    const res = await h.panel.request('POST', '/api/domains', {
      body: { account_id: a.id, domain_name: 'taken.test', domain_type: 'addon' },
    });
    expect(res.status).toBe(502);
    expect(res.body.error).toBe("VeloServe configuration rejected: virtual host 'taken.test' is defined twice");
    expect(readFileSync(config, 'utf8')).toBe(before);
    expect(existsSync(path.join(dir, 'vhosts', 'taken.test.toml'))).toBe(false);
  });

  it('removes everything it wrote when the account goes, and the operator part stays', async () => {
    const a = (await h.panel.request('GET', '/api/accounts')).body.data.find((x: any) => x.username === 'velo');
    await h.panel.request('DELETE', `/api/accounts/${a.id}`);
    expect(toml().virtualhost.map((v: any) => v.domain)).toEqual(['taken.test', '*']);
    expect(toml().server).toEqual({ listen: '0.0.0.0:8080', workers: 'auto' });
  });
});

describe('VeloServe engine with its CLI present (stand-in script following the CLI contract)', () => {
  let h: HostingPanel;
  let dir: string;
  beforeAll(async () => {
    dir = openTempDir('velopanel-veloserve-cli-');
    const cli = path.join(dir, 'veloserve');
    // `--config FILE config test` fails on a file naming a domain starting with "refuse";
    // `config reload` and `--version` answer like the real CLI.
    writeFileSync(
      cli,
      `#!/bin/sh
if [ "$1" = "--version" ]; then echo "veloserve 1.4.2"; exit 0; fi
if [ "$3" = "config" ] && [ "$4" = "test" ]; then
  if grep -q 'domain = "refuse' "$2"; then echo "error: invalid virtualhost in $2" >&2; exit 1; fi
  exit 0
fi
if [ "$3" = "config" ] && [ "$4" = "reload" ]; then echo reloaded > "${dir}/reloads"; exit 0; fi
exit 2
`,
    );
    chmodSync(cli, 0o755);
    writeFileSync(path.join(dir, 'veloserve.pid'), `${process.pid}\n`);
    h = await startHostingPanel({
      engine: 'veloserve',
      config: { veloserve_config_path: path.join(dir, 'veloserve.toml') },
      plugins: { veloserve: { binary: cli, pid_file: path.join(dir, 'veloserve.pid') } },
    });
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports version and status from the binary and its pid file', async () => {
    const st = (await h.panel.request('GET', '/api/veloserve/status')).body.data;
    expect(st).toMatchObject({ installed: true, running: true, version: 'veloserve 1.4.2', pid: process.pid });
  });

  it('tests the temp file with the CLI, reloads, and answers with its message when it refuses', async () => {
    expect(
      (
        await h.panel.request('POST', '/api/accounts', {
          body: accountBody({ username: 'cliok', domain: 'cliok.test' }),
        })
      ).status,
    ).toBe(200);
    expect(readFileSync(path.join(dir, 'reloads'), 'utf8')).toBe('reloaded\n');
    const before = readFileSync(path.join(dir, 'veloserve.toml'), 'utf8');
    const res = await h.panel.request('POST', '/api/accounts', {
      body: accountBody({ username: 'clino', domain: 'refuse-me.test' }),
    });
    expect(res.status).toBe(502);
    expect(res.body.error).toMatch(
      /^VeloServe rejected the new configuration: error: invalid virtualhost in .*veloserve\.toml\.vp-new$/,
    );
    expect(readFileSync(path.join(dir, 'veloserve.toml'), 'utf8')).toBe(before);
    expect((await h.panel.request('POST', '/api/veloserve/reload')).body.data).toEqual({
      engine: 'veloserve',
      reloaded: true,
      message: 'VeloServe reloaded',
    });
  });
});
