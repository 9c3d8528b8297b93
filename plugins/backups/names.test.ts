import { describe, expect, it } from 'vitest';
import { backupFileName, parseBackupFileName, requireBackupOf } from './names.js';

describe('backup file names', () => {
  it('formats and parses <username>-YYYYMMDD-HHMMSS.tar.gz in UTC', () => {
    const when = new Date(Date.UTC(2026, 1, 28, 12, 0, 5));
    expect(backupFileName('johndoe', when)).toBe('johndoe-20260228-120005.tar.gz');
    expect(parseBackupFileName('johndoe-20260228-120005.tar.gz')).toEqual({ username: 'johndoe', createdAt: when });
  });

  it('refuses anything else, impossible dates included', () => {
    for (const bad of [
      'johndoe-20260231-120000.tar.gz',
      'john-doe-20260228-120000.tar.gz',
      '../johndoe-20260228-120000.tar.gz',
      'johndoe-20260228-120000.tar.gz.sh',
      'JohnDoe-20260228-120000.tar.gz',
    ])
      expect(parseBackupFileName(bad), bad).toBeNull();
    expect(() => requireBackupOf('bob-20260228-120000.tar.gz', 'alice')).toThrow(/not a backup of account alice/);
  });
});
