import type { TestRole } from './credentials.js';
import type { TestPanel } from './harness.js';

/** An account made through the API by {@link createTestAccount}, with its own user logged in. */
export interface TestAccount {
  id: number;
  username: string;
  /** Its primary domain, `<username>.test`. */
  domain: string;
  password: string;
  /**
   * The account user's real bearer token, ready as a request's `as`:
   * `panel.request('GET', '/api/jobs', { as: account.user })`.
   */
  user: { token: string };
}

/** Options for {@link createTestAccount}. */
export interface TestAccountOptions {
  /** Who makes it (default `reseller`: the account is the test reseller's). */
  as?: Exclude<TestRole, 'anon' | 'user'>;
  /** Plan (default `free`). */
  plan?: string;
}

/**
 * Make an account the way a tenant's one is made — `POST /api/accounts` as the test reseller,
 * domain `<username>.test` — and log its user in, so a test can act as the account's user and as
 * its reseller (what each may read of a failure is what tenant-isolation tests check). The panel
 * needs the `accounts` plugin (and `domains` with a webserver plugin such as `veloserve`).
 * Throws with the panel's answer when either step fails.
 *
 * @example
 * ```ts
 * const tess = await createTestAccount(panel, 'tess');
 * for (const as of [tess.user, 'reseller'] as const) await panel.request('GET', `/api/backups/accounts/${tess.id}`, { as });
 * ```
 */
export async function createTestAccount(
  panel: TestPanel,
  username: string,
  opts: TestAccountOptions = {},
): Promise<TestAccount> {
  const domain = `${username}.test`;
  const password = `${username[0]!.toUpperCase()}${username.slice(1)}-Pass-12345`;
  const made = await panel.request('POST', '/api/accounts', {
    as: opts.as ?? 'reseller',
    body: { username, domain, email: `${username}@${domain}`, password, plan: opts.plan ?? 'free' },
  });
  if (made.status !== 200)
    throw new Error(
      `test account ${username}: POST /api/accounts answered ${made.status} ${JSON.stringify(made.body)}`,
    );
  const login = await panel.request('POST', '/api/auth/login', { as: 'anon', body: { username, password } });
  if (login.status !== 200)
    throw new Error(`test account ${username}: login answered ${login.status} ${JSON.stringify(login.body)}`);
  return { id: made.body.data.id, username, domain, password, user: { token: login.body.data.token } };
}
