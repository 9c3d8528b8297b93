import { describe, expect, it } from 'vitest';
import { alterLogins, applyCredentialSql, checkMysqlCredential, nativeHash } from './credentials.js';

// Verifiers as MariaDB 10.11 stored them: PASSWORD('orig') and ed25519 of 'edpw'.
const NATIVE = '*E635141DCB8C052C6B23945F69B66CC96DA8F25C';
const ED25519 = 'LIEvGDGjHTmKyz3peLRjPqahOct5n6/BQCNm1bOvot4';

describe('MySQL/MariaDB credentials', () => {
  it('computes the mysql_native_password verifier the server computes', () => {
    expect(nativeHash('orig')).toBe(NATIVE);
  });

  it('accepts exactly the carried methods in exactly their formats', () => {
    expect(checkMysqlCredential({ method: 'mysql_native_password', hash: NATIVE })).toEqual({
      method: 'mysql_native_password',
      hash: NATIVE,
    });
    expect(checkMysqlCredential({ method: 'ed25519', hash: ED25519 })).toEqual({ method: 'ed25519', hash: ED25519 });
    const bad: [string, string][] = [
      ['mysql_native_password', NATIVE.toLowerCase()],
      ['mysql_native_password', NATIVE.slice(1)],
      ['mysql_native_password', `${NATIVE}\n`],
      ['mysql_native_password', `${NATIVE.slice(0, -3)}' OR 1=1 -- `],
      ['ed25519', `${ED25519.slice(0, -1)}5`],
      ['ed25519', `${ED25519}=`],
      ['ed25519', NATIVE],
      ['unix_socket', ''],
      ['caching_sha2_password', NATIVE],
      ['__proto__', NATIVE],
      ['constructor', NATIVE],
      ['', NATIVE],
    ];
    for (const [method, hash] of bad) {
      const e = (() => {
        try {
          checkMysqlCredential({ method, hash });
        } catch (x) {
          return x as Error & { code: string };
        }
        return null;
      })();
      expect(e, `${method} ${hash}`).toMatchObject({ code: 'VALIDATION' });
      if (hash.length > 3) expect(e!.message).not.toContain(hash);
    }
  });

  it("writes ALTER USER for every host with the driver's quoting, refusing what it would not carry", () => {
    expect(applyCredentialSql("o'k_db", { method: 'mysql_native_password', hash: NATIVE })).toBe(
      `ALTER USER 'o\\'k_db'@'localhost' IDENTIFIED WITH mysql_native_password AS '${NATIVE}', 'o\\'k_db'@'127.0.0.1' IDENTIFIED WITH mysql_native_password AS '${NATIVE}'`,
    );
    expect(() =>
      alterLogins('u', [{ host: 'localhost', method: 'mysql_native_password OR unix_socket', hash: NATIVE }]),
    ).toThrow(/credential\.method/);
  });
});
