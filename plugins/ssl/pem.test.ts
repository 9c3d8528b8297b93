import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateFacts, checkUpload, daysLeft, splitCertificates } from './pem.js';

const dir = mkdtempSync(path.join(tmpdir(), 'velopanel-pem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A CA and a leaf for `names` signed by it (openssl, EC P-256). */
function issue(name: string, names: string[], days = 5): { cert: string; key: string; ca: string } {
  const f = (n: string) => path.join(dir, `${name}-${n}`);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  execFileSync(
    'openssl',
    ['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-subj', `/CN=${name} CA`, '-days', '3'],
    { stdio: 'ignore' },
  );
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      f('key.pem'),
      '-out',
      f('cert.pem'),
      '-subj',
      `/CN=${names[0]}`,
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-days',
      String(days),
      '-addext',
      `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
    ],
    { stdio: 'ignore' },
  );
  return {
    cert: readFileSync(f('cert.pem'), 'utf8'),
    key: readFileSync(f('key.pem'), 'utf8'),
    ca: readFileSync(f('ca.pem'), 'utf8'),
  };
}

describe('certificate PEM checks', () => {
  const a = issue('a', ['shop.test', 'www.shop.test']);
  const b = issue('b', ['*.shop.test']);

  it('reads the facts the API shows', () => {
    const f = certificateFacts(a.cert + a.ca);
    expect(f).toMatchObject({ subject: 'CN=shop.test', issuer: 'CN=a CA', sans: ['shop.test', 'www.shop.test'] });
    expect(f.serial).toMatch(/^[0-9A-F]+$/);
    expect(daysLeft(f.valid_to)).toBe(4);
    expect(splitCertificates(a.cert + '\n' + a.ca)).toHaveLength(2);
  });

  it('accepts a matching pair with its chain, and a wildcard for a covered name', () => {
    const ok = checkUpload('www.shop.test', { certificate: a.cert, private_key: a.key, chain: a.ca });
    expect(ok.chain).toBe(a.ca);
    expect(ok.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(checkUpload('blog.shop.test', { certificate: b.cert + b.ca, private_key: b.key }).chain).toBe(b.ca);
  });

  it('refuses what would not serve', () => {
    const bad: [Parameters<typeof checkUpload>[1], RegExp][] = [
      [{ certificate: a.cert, private_key: b.key }, /^private_key: does not match/],
      [{ certificate: 'x', private_key: a.key }, /^certificate: is not a valid PEM/],
      [
        { certificate: a.cert, private_key: '-----BEGIN ENCRYPTED PRIVATE KEY-----' },
        /^private_key: must not be encrypted/,
      ],
      [{ certificate: a.cert, private_key: a.cert }, /^private_key: is not a valid PEM private key/],
      [{ certificate: a.cert, private_key: a.key, chain: b.ca }, /^chain: certificate 1 of the chain did not issue/],
      [{ certificate: a.cert, private_key: a.key, chain: 'junk' }, /^chain: is not a valid PEM/],
    ];
    for (const [input, message] of bad) expect(() => checkUpload('shop.test', input)).toThrow(message);
    expect(() => checkUpload('other.test', { certificate: a.cert, private_key: a.key })).toThrow(
      /^certificate: does not cover other.test \(names: shop.test, www.shop.test\)/,
    );
    expect(() => checkUpload('a.b.shop.test', { certificate: b.cert, private_key: b.key })).toThrow(/does not cover/);
    expect(() =>
      checkUpload('shop.test', { certificate: a.cert, private_key: a.key }, new Date(Date.now() + 10 * 86_400_000)),
    ).toThrow(/^certificate: expired on /);
  });
});
