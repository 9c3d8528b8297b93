// The production path of a third-party plugin: the built panel (`velopanel serve`, plain Node, no
// vitest) loads the built example from plugins_dir, its `velopanel/sdk` import resolved through the
// link scripts/install-service.sh makes to the panel's dist/.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLicence } from '../../core/licence/sign.js';
import { buildOnce } from '../cli/cli.js';
import { installBuiltExampleForDist, ROOT } from './install-example.js';

describe('the built example in the built panel', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-example-service-'));
  let child: ReturnType<typeof spawn>;
  let out = '';
  let url = '';
  let token = '';
  const get = async (route: string) => {
    const res = await fetch(url + route, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as any };
  };
  beforeAll(async () => {
    buildOnce();
    const { pluginsDir } = installBuiltExampleForDist();
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data', 'license.key'), await signLicence({ tier: 'pro' }));
    writeFileSync(
      path.join(dir, 'velopanel.toml'),
      [
        'bind_address = "127.0.0.1"',
        'bind_port = 0',
        `data_dir = "${dir}/data"`,
        `plugins_dir = "${pluginsDir}"`,
        'test_mode = true',
        'log_format = "json"',
        '[plugins.backup-mount]',
        'mounts = ["/dev/shm"]',
        '',
      ].join('\n'),
    );
    child = spawn(process.execPath, [path.join(ROOT, 'bin', 'velopanel.js'), 'serve'], {
      env: { PATH: process.env.PATH, VELOPANEL_CONFIG: path.join(dir, 'velopanel.toml'), VELOPANEL_NO_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    for (let i = 0; i < 600 && !/plugins loaded/.test(out); i++) await sleep(50);
    url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
    expect(url, out).not.toBe('');
    const post = (route: string) =>
      fetch(url + route, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'exadmin', password: 'Example-Admin-1' }),
      });
    await post('/api/auth/setup');
    token = ((await (await post('/api/auth/login')).json()) as any).data.token;
  }, 300_000);
  afterAll(async () => {
    child?.kill('SIGTERM');
    if (child && child.exitCode === null) await new Promise((r) => child.once('exit', r));
  });

  it('lists it as an active third-party plugin', async () => {
    expect(out).toMatch(/plugins loaded: .*backup-mount\(active\)/);
    const listed = (await get('/api/plugins')).body.data.find((p: any) => p.id === 'backup-mount');
    expect(listed).toMatchObject({ source: 'third-party', state: 'active', tier: 'pro', version: '1.0.0' });
  });

  it('serves its route with the SDK the panel runs', async () => {
    const res = await get('/api/backup-mount/disks');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([expect.objectContaining({ mount_point: '/dev/shm', mounted: true })]);
  });
});
