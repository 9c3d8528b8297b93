// scripts/install-service.sh into a temp root: directories with owners and modes, the production
// config kept across re-installs, the unit file filled in (and accepted by systemd-analyze when
// it is installed), the service enabled there and never started, the CLI and SDK links.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/load.js';

const APP = path.resolve(import.meta.dirname, '../..');
const SCRIPT = path.join(APP, 'scripts', 'install-service.sh');
const asRoot = process.getuid?.() === 0;

function install(root: string, args: string[] = [], env: Record<string, string> = {}) {
  const res = spawnSync('sh', [SCRIPT, '--root', root, '--no-build', '--node', process.execPath, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

/** `[Section] Key=Value` pairs of a unit file (repeated keys kept in order). */
function unitEntries(text: string): string[] {
  let section = '';
  return text.split('\n').flatMap((line) => {
    if (/^\s*(#|$)/.test(line)) return [];
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) return ((section = header[1]!), []);
    return [`[${section}] ${line.trim()}`];
  });
}

describe('install-service.sh into a temp root', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'vp-install-'));
  const at = (p: string) => path.join(root, p);
  let first: ReturnType<typeof install>;
  beforeAll(() => {
    first = install(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finishes, enables the service there and says it did not start it', () => {
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain(`installed under ${root} (enabled there, not started)`);
    expect(lstatSync(at('etc/systemd/system/multi-user.target.wants/velopanel.service')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(at('etc/systemd/system/multi-user.target.wants/velopanel.service'))).toBe(
      '/etc/systemd/system/velopanel.service',
    );
  });

  it('creates the directories with their modes (and root as owner)', () => {
    const expected: [string, number][] = [
      ['etc/velopanel', 0o750],
      ['var/lib/velopanel', 0o750],
      ['var/lib/velopanel/plugins', 0o755],
      ['var/backups/velopanel', 0o700],
    ];
    for (const [dir, mode] of expected) {
      const st = statSync(at(dir));
      expect({ dir, dir_: st.isDirectory(), mode: (st.mode & 0o777).toString(8) }).toEqual({
        dir,
        dir_: true,
        mode: mode.toString(8),
      });
      if (asRoot) expect({ dir, uid: st.uid, gid: st.gid }).toEqual({ dir, uid: 0, gid: 0 });
    }
  });

  it('installs the production config 0640, valid for the panel, in linux mode with /etc and /var/lib paths', () => {
    const file = at('etc/velopanel/velopanel.toml');
    expect((statSync(file).mode & 0o777).toString(8)).toBe('640');
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(path.join(APP, 'config/velopanel.production.toml'), 'utf8'));
    const cfg = loadConfig({ env: { VELOPANEL_CONFIG: file }, cwd: root });
    expect(cfg).toMatchObject({
      mode: 'linux',
      data_dir: '/var/lib/velopanel',
      license_key_path: '/etc/velopanel/license.key',
      plugins_dir: '/var/lib/velopanel/plugins',
      log_format: 'json',
      shutdown_grace_ms: 20000,
    });
    // The veloserve and accounts plugins' keys, passed through by the kernel.
    expect(cfg.top_level).toMatchObject({ veloserve_config_path: '/etc/veloserve/veloserve.toml', home_base: '/home' });
    expect(cfg.plugins.backups).toEqual({ dir: '/var/backups/velopanel' });
  });

  it('writes the unit with this node and checkout, graceful stop settings and the config path', () => {
    const unit = readFileSync(at('etc/systemd/system/velopanel.service'), 'utf8');
    expect((statSync(at('etc/systemd/system/velopanel.service')).mode & 0o777).toString(8)).toBe('644');
    expect(unit).not.toContain('@');
    const entries = unitEntries(unit);
    expect(entries).toEqual(
      expect.arrayContaining([
        `[Service] ExecStart=${process.execPath} ${APP}/bin/velopanel.js serve`,
        '[Service] Environment=VELOPANEL_CONFIG=/etc/velopanel/velopanel.toml',
        '[Service] Environment=VELOPANEL_NO_BUILD=1',
        `[Service] EnvironmentFile=${APP}/config/runtime.env`,
        '[Service] KillMode=mixed',
        '[Service] KillSignal=SIGTERM',
        '[Service] TimeoutStopSec=45',
        '[Service] Restart=on-failure',
        '[Service] RestartPreventExitStatus=2',
        '[Service] WorkingDirectory=/var/lib/velopanel',
        '[Service] StandardOutput=journal',
        '[Install] WantedBy=multi-user.target',
      ]),
    );
    // The unit gives the panel longer to stop than the config gives its jobs.
    expect(45_000).toBeGreaterThan(
      loadConfig({ env: { VELOPANEL_CONFIG: at('etc/velopanel/velopanel.toml') }, cwd: root }).shutdown_grace_ms +
        10_000,
    );
    const analyze = spawnSync('systemd-analyze', ['verify', at('etc/systemd/system/velopanel.service')], {
      encoding: 'utf8',
    });
    if (analyze.error) console.warn('[install test] systemd-analyze not installed: unit checked by its entries only');
    else expect(analyze.stderr).not.toMatch(/Unknown key|Failed to parse|Invalid|not executable|Missing/i);
  });

  it('links the CLI and the SDK third-party plugins import', () => {
    expect(readlinkSync(at('usr/local/bin/velopanel'))).toBe(path.join(APP, 'bin/velopanel.js'));
    expect(readlinkSync(at('var/lib/velopanel/plugins/node_modules/velopanel'))).toBe(path.join(APP, 'dist'));
  });

  it('keeps an edited config on a second run and puts the new default beside it', () => {
    const file = at('etc/velopanel/velopanel.toml');
    writeFileSync(file, 'mode = "linux"\nbind_port = 8443\n');
    const again = install(root, ['--no-start']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain(`kept ${file}; the shipped default is in ${file}.new`);
    expect(readFileSync(file, 'utf8')).toBe('mode = "linux"\nbind_port = 8443\n');
    expect(existsSync(`${file}.new`)).toBe(true);
  });

  it('enables without systemctl on the machine by linking the unit itself', () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'vp-install-'));
    try {
      // A PATH holding only the tools the script needs, systemctl left out.
      const bin = path.join(other, 'bin');
      mkdirSync(bin);
      for (const tool of ['sh', 'dirname', 'id', 'install', 'chmod', 'mkdir', 'sed', 'mv', 'ln']) {
        const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
        symlinkSync(found, path.join(bin, tool));
      }
      const res = spawnSync(path.join(bin, 'sh'), [SCRIPT, '--root', other, '--no-build', '--node', process.execPath], {
        encoding: 'utf8',
        env: { PATH: bin },
      });
      expect(res.status, res.stderr).toBe(0);
      expect(res.stderr).not.toContain('Created symlink');
      expect(readlinkSync(path.join(other, 'etc/systemd/system/multi-user.target.wants/velopanel.service'))).toBe(
        '/etc/systemd/system/velopanel.service',
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses bad options with exit 2 and touches nothing', () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'vp-install-'));
    try {
      expect(install(other, ['--bogus']).code).toBe(2);
      expect(install('relative/dir').code).toBe(2);
      expect(install(other, ['--app-dir', '/nonexistent']).err).toContain('is not a VeloPanel checkout');
      expect(install(other, ['--app-dir', `${APP}/x|y`]).code).toBe(2);
      expect(spawnSync('ls', ['-A', other], { encoding: 'utf8' }).stdout).toBe('');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
