import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PanelConfig } from '../../core/config/schema.js';
import type { Kernel } from '../../core/kernel.js';
import { DEFAULT_LICENCE_FILE } from '../../core/licence/module.js';
import { signLicence } from '../../core/licence/sign.js';
import type { Tier } from '../licence.js';

/** Roles a test request can act as. */
export type TestRole = 'admin' | 'reseller' | 'user' | 'anon';

/** The real logins {@link startTestPanel} creates (ids 1, 2 and 3 on a fresh panel). */
export const TEST_LOGINS = {
  admin: 'panel-admin',
  reseller: 'panel-reseller',
  /** Bound to `account:1`, owned by the reseller. */
  user: 'panel-user',
  password: 'Test-Password-123',
} as const;

/** What a test licence grants: its tier, and features beyond the tier's (`php.lsapi`). */
export interface TestLicenceClaims {
  tier: Tier;
  features?: string[];
  /** Figures for limits plugins declare (`max_<what>`), over the tier's; null for unlimited. */
  limits?: Record<string, number | null>;
}

/**
 * A licence key signed with the TEST key, valid for a year: a panel in test mode (as
 * {@link startTestPanel} starts it) accepts it, any other panel refuses it. Install it through
 * `POST /api/license` to test what a tier or a feature unlocks.
 *
 * @example
 * ```ts
 * const key = await testLicenceKey({ tier: 'community', features: ['widgets.remote'] });
 * await panel.request('POST', '/api/license', { body: { license_key: key } });
 * ```
 */
export function testLicenceKey(claims: TestLicenceClaims): Promise<string> {
  return signLicence(claims);
}

/**
 * Write a licence of `tier` signed with the TEST key to the panel's licence file (unless one is
 * already there). `'none'` leaves the panel without a licence (Community).
 */
export async function installTestLicence(config: PanelConfig, tier: Tier | 'none'): Promise<void> {
  const file = config.license_key_path || path.join(config.data_dir, DEFAULT_LICENCE_FILE);
  if (tier === 'none' || existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, (await signLicence({ tier, customer: 'VeloPanel tests' })) + '\n', { mode: 0o600 });
}

async function call(
  url: string,
  route: string,
  body: unknown,
  token?: string,
): Promise<{ ok: boolean; data?: any; error?: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url + route, { method: 'POST', headers, body: JSON.stringify(body) });
  return (await res.json()) as { ok: boolean; data?: any; error?: string };
}

/**
 * Create the admin through setup, the reseller through the admin endpoint and the user login of
 * `account:1` through `kernel.users`, log each in and return their real bearer tokens.
 */
export async function createTestLogins(k: Kernel, url: string): Promise<Record<Exclude<TestRole, 'anon'>, string>> {
  const password = TEST_LOGINS.password;
  const login = async (username: string) => {
    const res = await call(url, '/api/auth/login', { username, password });
    if (!res.ok) throw new Error(`test panel: login of ${username} failed: ${res.error}`);
    return res.data.token as string;
  };
  // In linux mode even loopback needs the setup code; the test reads it where the panel wrote it.
  const codeFile = path.join(k.config.data_dir, 'setup-code');
  const setupCode = existsSync(codeFile) ? { setup_code: readFileSync(codeFile, 'utf8').trim() } : {};
  const setup = await call(url, '/api/auth/setup', { username: TEST_LOGINS.admin, password, ...setupCode });
  if (!setup.ok && !/already been completed/.test(setup.error ?? ''))
    throw new Error(`test panel: setup failed: ${setup.error}`);
  const admin = await login(TEST_LOGINS.admin);
  const created = await call(url, '/api/resellers', { username: TEST_LOGINS.reseller, password }, admin);
  const resellerId = created.ok ? created.data.id : (await k.users!.findByUsername(TEST_LOGINS.reseller))?.id;
  if (!resellerId) throw new Error(`test panel: reseller not created: ${created.error}`);
  // Two test nodes may start at once on one store: the other may have made the login meanwhile
  if (!(await k.users!.findByUsername(TEST_LOGINS.user)))
    await k
      .users!.create({ username: TEST_LOGINS.user, password, role: 'user', resellerId, subject: 'account:1' })
      .catch(async (e) => {
        if (!(await k.users!.findByUsername(TEST_LOGINS.user))) throw e;
      });
  const [reseller, user] = await Promise.all([login(TEST_LOGINS.reseller), login(TEST_LOGINS.user)]);
  return { admin, reseller, user };
}
