import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccountInfo } from '../../sdk/index.js';
import type { PhpSettings } from './settings.js';
import { POOL_MARKER, renderPool } from './pool.js';

const FPM = '/usr/sbin/php-fpm8.2';
const root = process.getuid?.() === 0;
const nobody = readFileSync('/etc/passwd', 'utf8')
  .split('\n')
  .find((l) => l.startsWith('nobody:'))!
  .split(':');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'vp-pool-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const settings: PhpSettings = {
  mode: 'linux',
  scanDirs: [],
  extraDirs: [],
  defaultVersion: '',
  fpmBinary: '',
  fpmConfig: '',
  fpmPrefix: '',
  poolDir: tmp,
  pidFile: '',
  reloadCommand: [],
  reloadWaitMs: 1000,
  socketDir: '/run/php',
  webUser: 'www-data',
  webGroup: 'www-data',
  minUid: 1000,
  accountMasters: false,
  accountMasterDir: tmp,
  maxChildren: { free: 3, pro: 10, business: 25 },
  iniCaps: {
    free: { memoryMb: 128, executionSecs: 60, uploadMb: 32 },
    pro: { memoryMb: 256, executionSecs: 120, uploadMb: 64 },
    business: { memoryMb: 0, executionSecs: 0, uploadMb: 0 },
  },
  idleTimeoutSecs: 10,
  maxRequests: 500,
  templatesDir: path.resolve('templates'),
  managed: null,
};
// `nobody` (uid 65534) stands in for an account user: it exists everywhere and is above min_uid.
const account: AccountInfo = {
  id: 7,
  username: 'nobody',
  primary_domain: 'a.test',
  email: 'a@example.com',
  plan: 'pro',
  status: 'active',
  home_dir: '/home/nobody',
  uid: Number(nobody[2]),
  gid: Number(nobody[3]),
  disk_quota_mb: 1,
  bandwidth_quota_mb: 1,
  reseller_id: null,
  created_at: '',
};
const render = (a: Partial<AccountInfo> = {}, ini: Record<string, string> = {}) =>
  renderPool({ account: { ...account, ...a }, version: '8.2', ini }, settings);

describe('pool rendering', () => {
  it("sizes the pool by the plan's php_workers, else by the <plan>_max_children key (free's for a custom plan)", () => {
    const limits = { max_domains: null, max_databases: null, php_modes: null };
    expect(render({ plan: 'tiny', plan_limits: { ...limits, php_workers: 4 } }).content.split('\n')).toContain(
      'pm.max_children = 4',
    );
    expect(render({ plan: 'tiny', plan_limits: { ...limits, php_workers: null } }).content.split('\n')).toContain(
      'pm.max_children = 3',
    );
    expect(render({ plan: 'pro', plan_limits: limits }).content.split('\n')).toContain('pm.max_children = 10');
  });

  it('renders a pool that runs as the account, on its own socket, limited to its home', () => {
    const p = render({}, { memory_limit: '192M' });
    expect(p).toMatchObject({ name: 'vp-nobody', file: 'vp-nobody.conf', socket: '/run/php/vp-nobody.sock' });
    expect(p.content.startsWith(POOL_MARKER)).toBe(true);
    for (const line of [
      '[vp-nobody]',
      'user = nobody',
      `group = ${nobody[3]}`,
      'listen = /run/php/vp-nobody.sock',
      'listen.owner = www-data',
      'listen.mode = 0660',
      'pm = ondemand',
      'pm.max_children = 10',
      'php_admin_value[open_basedir] = "/home/nobody/:/home/nobody/tmp/"',
      'php_value[memory_limit] = 192M',
    ])
      expect(p.content.split('\n')).toContain(line);
    expect(render({}, { memory_limit: '192M' }).content).toBe(p.content);
  });

  it.runIf(root)('is accepted by php-fpm -t', () => {
    const p = render(
      {},
      {
        memory_limit: '192M',
        'date.timezone': 'Etc/GMT+1',
        error_reporting: 'E_ALL & ~E_DEPRECATED',
        display_errors: 'Off',
      },
    );
    const conf = path.join(tmp, 'php-fpm.conf');
    writeFileSync(conf, `[global]\nerror_log = ${tmp}/error.log\n${p.content}`);
    const r = spawnSync(FPM, ['-t', '-y', conf]);
    expect(r.stderr.toString()).toContain('test is successful');
    expect(r.status).toBe(0);
  });

  it.each([
    [{ uid: 0, gid: 0 }, /below 1000/],
    [{ uid: 33 }, /below 1000/],
    [{ gid: 0 }, /below 1000/],
    [{ username: 'root' }, /below|does not have uid/],
    [{ username: 'nobody\nuser = root' }, /cannot name a PHP pool/],
    [{ username: 'a]b' }, /cannot name a PHP pool/],
    [{ uid: 4242 }, /does not have uid 4242/],
    [{ home_dir: '/home/x y' }, /home directory/],
    [{ home_dir: '/home/a/../../etc' }, /home directory/],
    [{ home_dir: '/home/a"\nuser = root' }, /home directory/],
    [{ home_dir: 'relative/home' }, /home directory/],
  ])('refuses an account %j', (patch, message) => {
    expect(() => render(patch as Partial<AccountInfo>)).toThrow(message);
  });

  it('refuses a stored ini value that would inject a line', () => {
    expect(() => render({}, { memory_limit: '1M\nuser = root' })).toThrow(/memory_limit/);
    expect(() => render({}, { user: 'root' })).toThrow(/not a setting/);
  });

  it("never writes a value above the plan's cap, whatever the stored row says (downgrade, lowered cap, edit)", () => {
    const lines = (plan: AccountInfo['plan'], ini: Record<string, string>) =>
      render({ plan }, ini)
        .content.split('\n')
        .filter((l) => l.startsWith('php_value['));
    const wild = {
      memory_limit: '-1',
      max_execution_time: '0',
      max_input_time: '-1',
      post_max_size: '2G',
      upload_max_filesize: '16M',
    };
    expect(lines('free', wild)).toEqual([
      'php_value[max_execution_time] = 60',
      'php_value[max_input_time] = -1',
      'php_value[memory_limit] = 128M',
      'php_value[post_max_size] = 32M',
      'php_value[upload_max_filesize] = 16M',
    ]);
    // a plan without caps (0) keeps what was set
    expect(lines('business', wild)).toContain('php_value[memory_limit] = -1');
  });

  it('refuses a version that is not major.minor', () => {
    expect(() => renderPool({ account, version: '8.2\nuser = root', ini: {} }, settings)).toThrow(/version/);
  });
});
