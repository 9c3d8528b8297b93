// The reserved-name lists, and the README that documents them for providers, stay in step.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRIVILEGED_SYSTEM_NAMES, reservedReason, SERVICE_AND_ROLE_NAMES } from './reserved-names.js';

describe('reserved account names', () => {
  it('gives each reserved name its reason and leaves ordinary names alone', () => {
    expect(reservedReason('docker')).toBe('a privileged system group or user name');
    expect(reservedReason('mysql')).toBe("a service's or the panel's own name");
    expect(reservedReason('johndoe')).toBeNull();
  });

  it('lists every reserved name in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(
      readme.indexOf('### Reserved account names'),
      readme.indexOf('## Running as a service'),
    );
    for (const name of [...PRIVILEGED_SYSTEM_NAMES, ...SERVICE_AND_ROLE_NAMES])
      expect(section, name).toContain(`\`${name}\``);
  });
});
