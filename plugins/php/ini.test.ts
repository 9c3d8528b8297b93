import { describe, expect, it } from 'vitest';
import { errorReportingValue, iniPoolLines, validateIni } from './ini.js';

const refused = (input: Record<string, unknown>) => {
  try {
    validateIni(input as Record<string, string>);
  } catch (e) {
    return { status: (e as { status: number }).status, message: (e as Error).message };
  }
  return null;
};

describe('php.ini allow-list', () => {
  it('accepts allow-listed values and canonicalises them', () => {
    expect(
      validateIni({
        memory_limit: '256M',
        upload_max_filesize: '64M',
        post_max_size: '0',
        max_execution_time: 120,
        max_input_vars: '3000',
        display_errors: 'off',
        log_errors: true,
        'date.timezone': 'Europe/Berlin',
        error_reporting: 'E_ALL  &  ~E_DEPRECATED',
        max_input_time: '-1',
      }),
    ).toEqual({
      memory_limit: '256M',
      upload_max_filesize: '64M',
      post_max_size: '0',
      max_execution_time: '120',
      max_input_vars: '3000',
      display_errors: 'Off',
      log_errors: 'On',
      'date.timezone': 'Europe/Berlin',
      error_reporting: 'E_ALL & ~E_DEPRECATED',
      max_input_time: '-1',
    });
  });

  it.each([
    [{ memory_limit: '128M\nuser = root' }, 'settings.memory_limit: must be a size'],
    [{ memory_limit: '128M\r\n' }, 'settings.memory_limit'],
    [{ 'date.timezone': 'UTC\n[evil]' }, 'settings.date.timezone'],
    [{ 'date.timezone': 'Mars/Olympus' }, 'unknown time zone'],
    [{ display_errors: 'On = 1' }, 'settings.display_errors: must be On or Off'],
    [{ error_reporting: 'E_ALL; user = root' }, 'settings.error_reporting'],
    [{ error_reporting: 'E_NOPE' }, 'settings.error_reporting'],
    [{ user: 'root' }, '"user" is not a setting accounts may change'],
    [{ 'memory_limit]\nuser': '1' }, 'is not a setting accounts may change'],
    [{ open_basedir: '/' }, '"open_basedir" is not a setting'],
    [{ disable_functions: '' }, 'is not a setting'],
    [{ __proto__: '1', constructor: '1' }, 'is not a setting'],
    [{ max_execution_time: '1e9' }, 'settings.max_execution_time'],
    [{ upload_max_filesize: '-5M' }, 'settings.upload_max_filesize'],
  ])('refuses %j with a 400 naming the key', (input, message) => {
    const r = refused(input);
    expect(r?.status).toBe(400);
    expect(r?.message).toContain(message);
  });

  it('evaluates error_reporting with PHP precedence', () => {
    expect(errorReportingValue('E_ALL')).toBe(32767);
    expect(errorReportingValue('E_ALL & ~E_DEPRECATED & ~E_STRICT')).toBe(32767 & ~8192 & ~2048);
    expect(errorReportingValue('E_ERROR | E_WARNING & E_ALL')).toBe(1 | (2 & 32767));
    expect(errorReportingValue('22527')).toBe(22527);
    expect(errorReportingValue('E_ALL & ')).toBeNull();
  });

  it('renders sorted pool lines, php_admin_value where scripts must not raise it', () => {
    expect(iniPoolLines({ memory_limit: '64M', allow_url_fopen: 'Off', error_reporting: 'E_ALL & ~E_NOTICE' })).toEqual(
      [
        'php_admin_value[allow_url_fopen] = Off',
        `php_value[error_reporting] = ${32767 & ~8}`,
        'php_value[memory_limit] = 64M',
      ],
    );
  });

  it('validates stored values again before rendering', () => {
    expect(() => iniPoolLines({ memory_limit: '1M\nuser = root' })).toThrow(/memory_limit/);
  });
});
