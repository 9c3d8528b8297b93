import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.js';

function withToml(text: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-config-'));
  const file = path.join(dir, 'velopanel.toml');
  writeFileSync(file, text);
  return { dir, file };
}

describe('loadConfig', () => {
  it('uses the embedded defaults without a file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-config-'));
    const cfg = loadConfig({ env: {}, cwd: dir });
    expect(cfg).toMatchObject({ bind_address: '0.0.0.0', bind_port: 7070, mode: 'local', top_level: {} });
    expect(cfg.data_dir).toBe(path.join(dir, 'data'));
  });

  it('lets the four environment variables override the file', () => {
    const { file, dir } = withToml('bind_port = 8080\nbind_address = "10.0.0.1"\n');
    const cfg = loadConfig({
      cwd: dir,
      env: {
        VELOPANEL_CONFIG: file,
        VELOPANEL_PORT: '9999',
        VELOPANEL_HOST: '127.0.0.1',
        VELOPANEL_DATA_DIR: '/tmp/vp-x',
      },
    });
    expect(cfg).toMatchObject({ bind_port: 9999, bind_address: '127.0.0.1', data_dir: '/tmp/vp-x', source: file });
  });

  it('stops with one line naming the key for a bad value', () => {
    const { file, dir } = withToml('bind_port = "seventy"\n');
    expect(() => loadConfig({ cwd: dir, env: { VELOPANEL_CONFIG: file } })).toThrow(
      new ConfigError('config: bind_port: must be a port number 0–65535'),
    );
    // A key the kernel does not know is kept for the plugins (the panel refuses it at start when none takes it).
    const typo = withToml('bind_prot = 1\nacme_email = "ops@example.com"\n');
    expect(loadConfig({ cwd: typo.dir, env: { VELOPANEL_CONFIG: typo.file } }).top_level).toEqual({
      bind_prot: 1,
      acme_email: 'ops@example.com',
    });
    const mode = withToml('mode = "cloud"\n');
    expect(() => loadConfig({ cwd: mode.dir, env: { VELOPANEL_CONFIG: mode.file } })).toThrow(
      'config: mode: must be "local" or "linux"',
    );
    const scrape = withToml('metrics_token = "short"\n');
    expect(() => loadConfig({ cwd: scrape.dir, env: { VELOPANEL_CONFIG: scrape.file } })).toThrow(
      'config: metrics_token: must be empty or at least 32 printable characters without spaces',
    );
  });

  it('reports invalid TOML and a missing file', () => {
    const { file, dir } = withToml('bind_port = = 1\n');
    expect(() => loadConfig({ cwd: dir, env: { VELOPANEL_CONFIG: file } })).toThrow(/is not valid TOML/);
    expect(() => loadConfig({ cwd: dir, env: { VELOPANEL_CONFIG: '/nonexistent/x.toml' } })).toThrow(/file not found/);
    expect(() => loadConfig({ cwd: dir, env: { VELOPANEL_PORT: 'abc' } })).toThrow(
      'config: VELOPANEL_PORT: must be a port number 0–65535',
    );
  });

  it('keeps plugin sections for the plugins to validate', () => {
    const { file, dir } = withToml('[plugins.nginx]\nbinary = "/usr/sbin/nginx"\n');
    expect(loadConfig({ cwd: dir, env: { VELOPANEL_CONFIG: file } }).plugins).toEqual({
      nginx: { binary: '/usr/sbin/nginx' },
    });
  });
});
