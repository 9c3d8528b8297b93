import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPasswordSource, readAdminPassword } from './database-admin.js';

describe('readAdminPassword', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'velopanel-adminpw-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string, mode: number) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    chmodSync(p, mode);
    return p;
  };

  it('reads the first line of a 0600 or 0400 file', () => {
    expect(
      readAdminPassword({ password_file: file('a', 's3cret #x\nignored\n', 0o600), password_env: '' }, 'MySQL'),
    ).toBe('s3cret #x');
    expect(readAdminPassword({ password_file: file('b', 'ro', 0o400), password_env: '' }, 'MySQL')).toBe('ro');
  });

  it('refuses a file others may read, naming the engine and the file but not the secret', () => {
    const p = file('c', 'leaky-secret', 0o640);
    expect(() => readAdminPassword({ password_file: p, password_env: '' }, 'PostgreSQL')).toThrow(
      `PostgreSQL: password_file ${p} must not be readable by group or others (chmod 600)`,
    );
    expect(() => readAdminPassword({ password_file: path.join(dir, 'missing'), password_env: '' }, 'MySQL')).toThrow(
      /cannot be read/,
    );
  });

  it('reads an environment variable by name, and refuses both sources at once', () => {
    expect(readAdminPassword({ password_file: '', password_env: 'PW' }, 'MySQL', { PW: 'from-env' })).toBe('from-env');
    expect(() => readAdminPassword({ password_file: '', password_env: 'PW' }, 'MySQL', {})).toThrow(
      'MySQL: environment variable PW (password_env) is not set',
    );
    expect(() => readAdminPassword({ password_file: '/x', password_env: 'PW' }, 'MySQL', {})).toThrow(/not both/);
    expect(readAdminPassword({ password_file: '', password_env: '' }, 'MySQL')).toBe('');
  });
});

describe('checkPasswordSource', () => {
  it('refuses both sources at once, naming the config key given', () => {
    expect(() => checkPasswordSource({ password_file: '/x', password_env: 'PW' }, 'plugins.mysql')).toThrow(
      new Error('plugins.mysql: set either password_file or password_env, not both'),
    );
    expect(() => checkPasswordSource({ password_file: '/x', password_env: 'PW' }, 'plugins.postgresql')).toThrow(
      new Error('plugins.postgresql: set either password_file or password_env, not both'),
    );
  });

  it('accepts one source or none', () => {
    for (const c of [
      { password_file: '/x', password_env: '' },
      { password_file: '', password_env: 'PW' },
      { password_file: '', password_env: '' },
    ])
      expect(() => checkPasswordSource(c, 'plugins.mysql')).not.toThrow();
  });
});
