import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccountInfo, AcmeChallengeTarget } from '../../../sdk/index.js';
import { acmeChallengeSuite } from '../../../sdk/testing/index.js';
import { Http01WebrootProvider } from './http01-webroot.js';

const base = mkdtempSync(path.join(tmpdir(), 'velopanel-http01-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

/** A fresh home with public_html, and a target whose webroot is that public_html. */
function target(extra: Partial<AccountInfo> = {}): AcmeChallengeTarget {
  const home = path.join(base, `home${++n}`);
  mkdirSync(path.join(home, 'public_html'), { recursive: true });
  const account = { id: n, username: `u${n}`, home_dir: home, uid: null, gid: null, ...extra } as AccountInfo;
  return { name: `site${n}.test`, domain: `site${n}.test`, account, webroot: path.join(home, 'public_html') };
}
const file = (t: AcmeChallengeTarget, token: string) => path.join(t.webroot, '.well-known', 'acme-challenge', token);
const req = (token: string) => ({ type: 'http-01' as const, token, keyAuthorization: `${token}.thumbprint` });

acmeChallengeSuite.run('http-01-webroot', () => ({
  provider: new Http01WebrootProvider(),
  target: target(),
  published: async (t, c) => (existsSync(file(t, c.token)) ? readFileSync(file(t, c.token), 'utf8') : null),
}));

describe('HTTP-01 webroot provider', () => {
  const provider = new Http01WebrootProvider();

  it('writes a world-readable file, removes only the directories it created, and refuses wildcards', async () => {
    const t = target();
    await provider.present(t, req('tok1'));
    expect(statSync(file(t, 'tok1')).mode & 0o777).toBe(0o644);
    expect(statSync(path.dirname(file(t, 'tok1'))).mode & 0o777).toBe(0o755);
    await provider.cleanup(t, req('tok1'));
    expect(existsSync(path.join(t.webroot, '.well-known'))).toBe(false);

    mkdirSync(path.join(t.webroot, '.well-known'));
    writeFileSync(path.join(t.webroot, '.well-known', 'security.txt'), 'keep');
    await provider.present(t, req('tok2'));
    await provider.cleanup(t, req('tok2'));
    expect(existsSync(path.join(t.webroot, '.well-known', 'acme-challenge'))).toBe(false);
    expect(readFileSync(path.join(t.webroot, '.well-known', 'security.txt'), 'utf8')).toBe('keep');
    expect(provider.supports({ ...t, name: `*.${t.name}` })).toBe(false);
  });

  it('refuses links planted anywhere below the home instead of following them', async () => {
    const outside = mkdtempSync(path.join(base, 'outside-'));
    const planted: ((t: AcmeChallengeTarget) => void)[] = [
      (t) => symlinkSync(outside, path.join(t.webroot, '.well-known')),
      (t) => {
        mkdirSync(path.join(t.webroot, '.well-known'));
        symlinkSync(outside, path.join(t.webroot, '.well-known', 'acme-challenge'));
      },
      (t) => {
        rmSync(t.webroot, { recursive: true });
        symlinkSync(outside, t.webroot);
      },
    ];
    for (const plant of planted) {
      const t = target();
      plant(t);
      await expect(provider.present(t, req('tok'))).rejects.toThrow(/is a link or not a directory: refusing/);
      await provider.cleanup(t, req('tok'));
    }
    expect(existsSync(path.join(outside, 'tok'))).toBe(false);
    expect(existsSync(path.join(outside, 'acme-challenge'))).toBe(false);
  });

  it('replaces a planted token file or link rather than writing through it', async () => {
    const t = target();
    const victim = path.join(base, `victim${n}`);
    writeFileSync(victim, 'root-owned content');
    mkdirSync(path.dirname(file(t, 'x')), { recursive: true });
    linkSync(victim, file(t, 'hard'));
    symlinkSync(victim, file(t, 'soft'));
    for (const token of ['hard', 'soft']) {
      await provider.present(t, req(token));
      expect(lstatSync(file(t, token)).isSymbolicLink()).toBe(false);
      expect(readFileSync(file(t, token), 'utf8')).toBe(`${token}.thumbprint`);
      await provider.cleanup(t, req(token));
    }
    expect(readFileSync(victim, 'utf8')).toBe('root-owned content');
  });

  it.skipIf(process.getuid?.() !== 0)('gives what it creates to the account in linux mode', async () => {
    const t = target({ uid: 65534, gid: 65534 });
    await provider.present(t, req('owned'));
    for (const p of [file(t, 'owned'), path.dirname(file(t, 'owned')), path.join(t.webroot, '.well-known')])
      expect(statSync(p)).toMatchObject({ uid: 65534, gid: 65534 });
    await provider.cleanup(t, req('owned'));
  });

  it('refuses a webroot outside the home and a token with unexpected characters', async () => {
    const t = target();
    await expect(provider.present({ ...t, webroot: `${t.account!.home_dir}2` }, req('tok'))).rejects.toThrow(
      /^webroot: must be inside/,
    );
    await expect(provider.present(t, req('../../x'))).rejects.toThrow(/unexpected characters/);
  });
});
