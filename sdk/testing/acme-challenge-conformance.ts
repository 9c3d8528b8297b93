import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { AcmeChallengeProvider, AcmeChallengeRequest, AcmeChallengeTarget } from '../points/acme-challenges.js';
import { defineConformanceSuite } from './conformance.js';

/** What the ACME challenge-provider suite needs besides the provider. */
export interface AcmeChallengeSubject {
  provider: AcmeChallengeProvider;
  /** A target the provider can prove (a fresh webroot, a test zone…). */
  target: AcmeChallengeTarget;
  /** What is published for this challenge right now (file body, TXT value), or null when nothing. */
  published(target: AcmeChallengeTarget, challenge: AcmeChallengeRequest): Promise<string | null>;
}

/**
 * The conformance suite of the `acme-challenges` point: present publishes exactly the key
 * authorization, cleanup removes exactly that (and is idempotent), challenges stay apart.
 *
 * @example
 * ```ts
 * acmeChallengeSuite.run('dns-01-example', () => ({ provider, target, published: (t, c) => zone.txt(t.name) }));
 * ```
 */
export const acmeChallengeSuite = defineConformanceSuite<AcmeChallengeSubject>('acme-challenges', (get) => {
  const challenge = (type: AcmeChallengeRequest['type']): AcmeChallengeRequest => ({
    type,
    token: randomBytes(32).toString('base64url'),
    keyAuthorization: `${randomBytes(32).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
  });

  it('declares a challenge type and a label, and supports its own target', async () => {
    const { provider, target } = await get();
    expect(['http-01', 'dns-01', 'tls-alpn-01']).toContain(provider.type);
    expect(provider.label.length).toBeGreaterThan(0);
    expect(await provider.supports(target)).toBe(true);
  });

  it('publishes the key authorization and removes it again', async () => {
    const { provider, target, published } = await get();
    const c = challenge(provider.type);
    await provider.present(target, c);
    try {
      expect(await published(target, c)).toBe(c.keyAuthorization);
    } finally {
      await provider.cleanup(target, c);
    }
    expect(await published(target, c)).toBeNull();
  });

  it('keeps two challenges apart and cleans up idempotently', async () => {
    const { provider, target, published } = await get();
    const [a, b] = [challenge(provider.type), challenge(provider.type)];
    await provider.cleanup(target, a);
    await provider.present(target, a);
    await provider.present(target, b);
    await provider.cleanup(target, a);
    await provider.cleanup(target, a);
    expect(await published(target, a)).toBeNull();
    expect(await published(target, b)).toBe(b.keyAuthorization);
    await provider.cleanup(target, b);
    expect(await published(target, b)).toBeNull();
  });
});
