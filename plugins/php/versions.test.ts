import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import type { ExecService } from '../../sdk/index.js';
import { candidates, detectVersions, parseVersionBanner } from './versions.js';

// argv-only runner with the shape the panel's exec service has (plugins may not import core/)
const exec = {
  run: (cmd: string, args: string[]) =>
    new Promise((resolve) => {
      execFile(cmd, args, { timeout: 5000 }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }));
    }),
} as unknown as ExecService;
const root = process.getuid?.() === 0;
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A directory holding a script named like a PHP binary that prints a banner. */
function fakePhp(parent: string, name: string, banner: string): string {
  const dir = mkdtempSync(path.join(parent, 'vp-php-bin-'));
  made.push(dir);
  chmodSync(dir, 0o755);
  writeFileSync(path.join(dir, name), `#!/bin/sh\necho '${banner}'\n`, { mode: 0o755 });
  return dir;
}

describe('PHP version detection', () => {
  it('parses the banners of cli, cgi and fpm binaries', () => {
    expect(parseVersionBanner('PHP 8.2.29 (cgi-fcgi) (built: Jul  3 2025)\nCopyright')).toEqual({
      full: '8.2.29',
      minor: '8.2',
      kind: 'cgi',
    });
    expect(parseVersionBanner('PHP 8.3.1-1+deb12 (fpm-fcgi) (built: x)')).toEqual({
      full: '8.3.1',
      minor: '8.3',
      kind: 'fpm',
    });
    expect(parseVersionBanner('PHP 7.4.33 (cli) (built: x)')).toMatchObject({ minor: '7.4', kind: 'cli' });
    expect(parseVersionBanner('Python 3.11.2')).toBeNull();
  });

  it('finds the PHP 8.2 really installed here, with its binaries, modes and the default', async () => {
    const list = await detectVersions(exec, ['/usr/bin', '/usr/sbin', '/usr/local/bin'], '');
    const v = list.find((x) => x.version === '8.2');
    expect(v).toMatchObject({
      binaries: { cli: '/usr/bin/php8.2', cgi: '/usr/bin/php-cgi8.2', fpm: '/usr/sbin/php-fpm8.2' },
      modes: ['cgi', 'fpm', 'lsapi'],
      default: true,
    });
    expect(v!.full_version).toMatch(/^8\.2\.\d+$/);
    // /usr/bin/php and /usr/bin/php-cgi are links to the same binaries: one entry each
    expect(candidates(['/usr/bin']).filter((c) => c.includes('php-cgi'))).toEqual(['/usr/bin/php-cgi8.2']);
  });

  it.runIf(root)('scans configured extra paths and honours default_version', async () => {
    const dir = fakePhp('/run', 'php-cgi9.9', 'PHP 9.9.1 (cgi-fcgi) (built: test)');
    const list = await detectVersions(exec, ['/usr/bin', dir], '9.9');
    expect(list.find((x) => x.version === '9.9')).toEqual({
      version: '9.9',
      full_version: '9.9.1',
      binaries: { cgi: path.join(dir, 'php-cgi9.9') },
      modes: ['cgi', 'lsapi'],
      default: true,
    });
    expect(list.find((x) => x.version === '8.2')?.default).toBe(false);
  });

  it('never runs a binary a tenant could have planted (writable directory on the way)', async () => {
    const dir = fakePhp(os.tmpdir(), 'php-cgi9.8', 'PHP 9.8.0 (cgi-fcgi)');
    expect(candidates([dir])).toEqual([]);
    const open = fakePhp(os.tmpdir(), 'php9.7', 'PHP 9.7.0 (cli)');
    chmodSync(open, 0o777);
    expect((await detectVersions(exec, [open], '')).map((v) => v.version)).toEqual([]);
  });
});
