import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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

  it('narrows keys that drifted wider than 0600, never following a symlinked version', () => {
    const v = files.write('keys.test', bundle);
    const key = files.paths('keys.test', v).key;
    chmodSync(key, 0o644);
    mkdirSync(path.join(outside, 'v20260101000000-cafebabe'));
    writeFileSync(path.join(outside, 'v20260101000000-cafebabe', 'privkey.pem'), 'not ours', { mode: 0o644 });
    symlinkSync(
      path.join(outside, 'v20260101000000-cafebabe'),
      path.join(root, 'keys.test', 'v20260101000000-cafebabe'),
    );
    expect(files.tightenKeys()).toEqual([{ path: key, was: '0644', now: '0600' }]);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(outside, 'v20260101000000-cafebabe', 'privkey.pem')).mode & 0o777).toBe(0o644);
    files.prune('keys.test', null);
    rmSync(path.join(outside, 'v20260101000000-cafebabe'), { recursive: true });
  });

  it('refuses a name that is not a domain (no path outside the root)', () => {
    for (const bad of ['..', '../outside', 'a/../../outside', ''])
      expect(() => files.prune(bad, null)).toThrow(/invalid certificate location/);
    expect(readdirSync(outside)).toEqual(['precious.pem']);
  });
});
