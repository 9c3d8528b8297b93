import { describe, expect, it } from 'vitest';
import { checkPgCredential, verifierProblem } from './credentials.js';
import { scramVerifier } from './scram.js';

describe('PostgreSQL credentials', () => {
  const good = scramVerifier('pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);

  it("accepts a SCRAM-SHA-256 verifier in exactly pg_authid's format", () => {
    expect(verifierProblem(good)).toBeNull();
    expect(checkPgCredential({ method: 'scram-sha-256', hash: good })).toEqual({ method: 'scram-sha-256', hash: good });
  });

  it('refuses anything PostgreSQL would store as a plain password, or that would make logins expensive', () => {
    const [, iter, rest] = /^SCRAM-SHA-256\$(\d+):(.*)$/.exec(good)!;
    expect(iter).toBe('4096');
    const keys = rest!.split('$')[1]!;
    const bad = [
      `${good}\n`,
      `${good} `,
      good.toLowerCase(),
      good.replace('SCRAM-SHA-256', 'SCRAM-SHA-1'),
      `md5${'a'.repeat(32)}`,
      '',
      good.replace('$4096:', '$999:'),
      good.replace('$4096:', '$100001:'),
      good.replace('$4096:', '$:'),
      good.replace('W22ZaJ0SNY7soEsUEjb6gQ==', 'W22Z'),
      good.replace('W22ZaJ0SNY7soEsUEjb6gQ==', 'W22ZaJ0SNY7soEsUEjb6gR=='),
      good.replace(keys, keys.replace('=:', 'B:')),
      good.replace(keys, keys.slice(1)),
      `${good}'; ALTER ROLE postgres PASSWORD 'x`,
    ];
    for (const hash of bad) expect(verifierProblem(hash), hash).not.toBeNull();
    expect(() => checkPgCredential({ method: 'md5', hash: good })).toThrow(/credential\.method: must be scram-sha-256/);
    expect(() => checkPgCredential({ method: 'scram-sha-256', hash: good.replace('$4096:', '$100001:') })).toThrow(
      /credential\.hash: must use 1000–100000 iterations/,
    );
  });
});
