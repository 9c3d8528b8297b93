import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupTargetConformance } from '../../../sdk/testing/index.js';
import { checkLocalDir, localTargetFactory } from './local.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-local-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

backupTargetConformance.run('local', () =>
  localTargetFactory.create({
    id: 'local',
    scope: 'server',
    ownerId: null,
    config: { path: path.join(dir, 'backups') },
    dataDir: dir,
  }),
);

describe('local target directories', () => {
  it('refuses system and relative paths', () => {
    for (const bad of [
      '/',
      '/etc',
      '/etc/cron.d',
      '/usr/lib/x',
      '/proc/self',
      'relative/dir',
      '/srv/../etc',
      '/var/lib/mysql',
    ])
      expect(() => checkLocalDir(bad), bad).toThrow(/path:/);
    expect(() => checkLocalDir('/home/alice/backups', ['/home'])).toThrow(/under \/home/);
    expect(() => checkLocalDir('/srv/backups')).not.toThrow();
  });
});
