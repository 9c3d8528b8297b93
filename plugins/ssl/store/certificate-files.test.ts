import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CertificateFiles } from './certificate-files.js';

const base = mkdtempSync(path.join(tmpdir(), 'velopanel-certfiles-'));
const root = path.join(base, 'ssl');
const outside = path.join(base, 'outside');
const files = new CertificateFiles(root);
files.prepare();
mkdirSync(outside);
writeFileSync(path.join(outside, 'precious.pem'), 'keep me');
const bundle = { certificate: '-----BEGIN CERTIFICATE-----\n', chain: '', key: 'secret key' };

describe('certificate files: removing a domain', () => {
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('removes every version of the domain, the 0600 key included', () => {
    const v1 = files.write('shop.test', bundle);
    const v2 = files.write('shop.test', bundle);
    expect(lstatSync(files.paths('shop.test', v2).key).mode & 0o777).toBe(0o600);
    files.prune('shop.test', null);
    expect(existsSync(files.paths('shop.test', v1).dir)).toBe(false);
    expect(existsSync(path.join(root, 'shop.test'))).toBe(false);
  });

  it('unlinks a domain directory that is a symlink without touching what it points at', () => {
    symlinkSync(outside, path.join(root, 'evil.test'));
    files.prune('evil.test', null);
    expect(existsSync(path.join(root, 'evil.test'))).toBe(false);
    expect(readdirSync(outside)).toEqual(['precious.pem']);
  });

  it('unlinks a symlinked version inside a domain directory without following it', () => {
    const keep = files.write('blog.test', bundle);
    symlinkSync(outside, path.join(root, 'blog.test', 'v20260101000000-deadbeef'));
    files.prune('blog.test', keep);
    expect(readdirSync(path.join(root, 'blog.test'))).toEqual([keep]);
    expect(readdirSync(outside)).toEqual(['precious.pem']);
    files.prune('blog.test', null);
    expect(readdirSync(root)).toEqual([]);
    expect(readdirSync(outside)).toEqual(['precious.pem']);
  });

  it('refuses a name that is not a domain (no path outside the root)', () => {
    for (const bad of ['..', '../outside', 'a/../../outside', '']) expect(() => files.prune(bad, null)).toThrow(/invalid certificate location/);
    expect(readdirSync(outside)).toEqual(['precious.pem']);
  });
});
