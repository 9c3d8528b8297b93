import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { grantTarget } from './grants.js';
import { optionValue, renderOptionFile, withOptionFile } from './option-file.js';

describe('MySQL option files', () => {
  it('quotes values so no character can end the value or start a new line or option', () => {
    expect(optionValue('plain')).toBe('"plain"');
    expect(optionValue('a"b\'c\\d')).toBe('"a\\"b\\\'c\\\\d"');
    expect(optionValue('x\n[client]\nuser=root\r\t#;')).toBe('"x\\n[client]\\nuser=root\\r\\t#;"');
    expect(optionValue(' lead and trail ')).toBe('" lead and trail "');
    expect(() => optionValue('a\0b')).toThrow(/NUL/);
  });

  it('writes a socket or a TCP login, never both', () => {
    const base = { user: 'u', password: 'p', socket: '/run/s.sock', port: 3306 };
    expect(renderOptionFile({ ...base, host: '' })).toBe('[client]\nuser="u"\npassword="p"\nsocket="/run/s.sock"\n');
    expect(renderOptionFile({ ...base, host: '127.0.0.1' })).toBe(
      '[client]\nuser="u"\npassword="p"\nhost="127.0.0.1"\nport=3306\nprotocol=TCP\n',
    );
  });

  it('keeps the file private (0600 in a 0700 directory) and removes it afterwards, also on failure', async () => {
    let seen = '';
    await withOptionFile({ user: 'u', password: 'secret', socket: '/s', host: '', port: 1 }, async (file) => {
      seen = file;
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    });
    expect(existsSync(seen)).toBe(false);
    await expect(
      withOptionFile({ user: 'u', password: 'p', socket: '/s', host: '', port: 1 }, async (file) => {
        seen = file;
        throw new Error('tool failed');
      }),
    ).rejects.toThrow('tool failed');
    expect(existsSync(path.dirname(seen))).toBe(false);
  });

  it('escapes GRANT wildcards so a grant names exactly one database', () => {
    expect(grantTarget('john_wp')).toBe('`john\\_wp`.*');
    expect(grantTarget('a%b')).toBe('`a\\%b`.*');
  });
});
