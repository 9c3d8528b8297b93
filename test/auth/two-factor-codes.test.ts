import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHALLENGE_TTL_MS, TwoFactor } from '../../core/auth/two-factor.js';
import { TwoFactorStore } from '../../core/auth/two-factor-store.js';
import { PanelKey } from '../../core/panel-key.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { totpAt } from './totp-helpers.js';

const bed = useServices('postgres', 'mariadb');

/** The panel's three stores: the conditional updates that refuse replays must hold on each. */
function stores(): { name: string; url?: string; admin?: () => ReturnType<typeof knexFactory>; db: string }[] {
  const db = `vp_totp_${randomBytes(4).toString('hex')}`;
  const my = bed.mariadb;
  return [
    { name: 'SQLite', db },
    {
      name: 'PostgreSQL',
      url: bed.postgres.adminUrl.replace(/\/[^/]*$/, `/${db}`),
      admin: () => knexFactory({ client: 'pg', connection: bed.postgres.adminUrl }),
      db,
    },
    {
      name: 'MariaDB',
      url: `mysql://${encodeURIComponent(my.adminUser)}:${encodeURIComponent(my.adminPassword)}@127.0.0.1:${my.port}/${db}`,
      db,
      admin: () =>
        knexFactory({
          client: 'mysql2',
          connection: { host: '127.0.0.1', port: my.port, user: my.adminUser, password: my.adminPassword },
        }),
    },
  ];
}

async function withAdmin(make: () => ReturnType<typeof knexFactory>, sql: string): Promise<void> {
  const k = make();
  try {
    await k.raw(sql);
  } finally {
    await k.destroy();
  }
}

/** The service on the panel's real store, with the clock passed in: exact steps, no waiting. */
describe.skipIf(bed.skip)('two-factor codes: the ±1 step window and replay refusal', () => {
  for (const store of bed.skip ? [] : stores())
    describe(store.name, () => {
      let panel: TestPanel;
      let tf: TwoFactor;
      const T0 = Date.UTC(2026, 0, 1, 12, 0, 10);
      const stepAt = (ms: number) => Math.floor(ms / 30_000);
      beforeAll(async () => {
        if (store.admin) await withAdmin(store.admin, `CREATE DATABASE ${store.db}`);
        panel = await startTestPanel({ databaseUrl: store.url });
        tf = new TwoFactor(
          new TwoFactorStore(panel.kernel.knex, 'core_user_2fa', 'core_auth_settings'),
          PanelKey.inDataDir(panel.dataDir),
        );
      });
      afterAll(async () => {
        await panel?.stop();
        if (store.admin) await withAdmin(store.admin, `DROP DATABASE IF EXISTS ${store.db}`);
      });

      async function enrolled(userId: number, confirmStep: number): Promise<string> {
        const started = (await tf.begin(userId, `user${userId}`))!;
        expect(await tf.confirm(userId, totpAt(started.secret, confirmStep), T0)).toHaveLength(10);
        return started.secret;
      }

      it('accepts the previous, current and next step once each, in order; refuses ±2 and any replay', async () => {
        const now = stepAt(T0);
        const secret = await enrolled(3, now - 1);
        expect(await tf.verify(3, totpAt(secret, now - 2), T0)).toBeNull();
        expect(await tf.verify(3, totpAt(secret, now + 2), T0)).toBeNull();
        expect(await tf.verify(3, totpAt(secret, now - 1), T0)).toBeNull(); // used by the confirmation
        expect(await tf.verify(3, totpAt(secret, now), T0)).toBe('totp');
        expect(await tf.verify(3, totpAt(secret, now), T0)).toBeNull();
        expect(await tf.verify(3, totpAt(secret, now + 1), T0)).toBe('totp');
        // Once a later step is used, an earlier one (still inside the window) is refused too.
        expect(await tf.verify(3, totpAt(secret, now), T0 + 1000)).toBeNull();
        // Thirty seconds on, the former "+2" is the next step and works.
        expect(await tf.verify(3, totpAt(secret, now + 2), T0 + 30_000)).toBe('totp');
      });

      it('parallel uses of one code: exactly one wins', async () => {
        const now = stepAt(T0);
        const secret = await enrolled(2, now - 1);
        const results = await Promise.all(Array.from({ length: 8 }, () => tf.verify(2, totpAt(secret, now), T0)));
        expect(results.filter((r) => r === 'totp')).toHaveLength(1);
        const codes = await tf.renewRecoveryCodes(2);
        const spent = await Promise.all(Array.from({ length: 8 }, () => tf.verify(2, codes[0]!, T0)));
        expect(spent.filter((r) => r === 'recovery')).toHaveLength(1);
      });

      it('a challenge expires, and does not open with another key', async () => {
        const { challenge } = tf.challenge({ userId: 3, username: 'x', passwordOk: true, version: 4 }, T0);
        expect(tf.openChallenge(challenge, T0 + CHALLENGE_TTL_MS - 1)).toEqual({
          userId: 3,
          username: 'x',
          passwordOk: true,
          version: 4,
        });
        expect(tf.openChallenge(challenge, T0 + CHALLENGE_TTL_MS)).toBeNull();
        const other = new TwoFactor(
          new TwoFactorStore(panel.kernel.knex, 'core_user_2fa', 'core_auth_settings'),
          new PanelKey(`${panel.dataDir}/other_key`),
        );
        expect(other.openChallenge(challenge, T0)).toBeNull();
      });
    });
});
