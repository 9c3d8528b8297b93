import { describe, expect, it } from 'vitest';
import { checkIniCaps, clampIni, sizeBytes } from './ini-caps.js';

const caps = { memoryMb: 256, executionSecs: 120, uploadMb: 64 };

describe('php.ini caps', () => {
  it('reads sizes as PHP does', () => {
    expect(sizeBytes('512')).toBe(512);
    expect(sizeBytes('512K')).toBe(512 * 1024);
    expect(sizeBytes('128M')).toBe(128 * 1024 ** 2);
    expect(sizeBytes('1g')).toBe(1024 ** 3);
    expect(sizeBytes('-1')).toBe(-1);
    expect(sizeBytes('1T')).toBeNaN();
  });

  it('lets values up to the cap through, and values of directives without a cap', () => {
    expect(() =>
      checkIniCaps(
        { memory_limit: '256M', upload_max_filesize: '65536K', max_input_time: '-1', max_input_vars: '99999' },
        caps,
        'free',
      ),
    ).not.toThrow();
  });

  it('refuses one byte or second over, and every "no limit" form', () => {
    expect(() => checkIniCaps({ memory_limit: '268435457' }, caps, 'free')).toThrow(
      "exceeds the free plan's cap of 256M",
    );
    expect(() => checkIniCaps({ max_execution_time: '121' }, caps, 'free')).toThrow('cap of 120 seconds');
    expect(() => checkIniCaps({ memory_limit: '-1' }, caps, 'free')).toThrow('-1 (no limit)');
    expect(() => checkIniCaps({ upload_max_filesize: '0' }, caps, 'free')).toThrow('0 (no limit)');
  });

  it('a cap of 0 is no cap', () => {
    expect(() =>
      checkIniCaps(
        { memory_limit: '-1', max_execution_time: '0' },
        { memoryMb: 0, executionSecs: 0, uploadMb: 0 },
        'business',
      ),
    ).not.toThrow();
  });

  it('clamps to the cap and leaves other values alone', () => {
    expect(clampIni({ memory_limit: '4G', max_execution_time: '30', 'date.timezone': 'UTC' }, caps)).toEqual({
      memory_limit: '256M',
      max_execution_time: '30',
      'date.timezone': 'UTC',
    });
  });
});
