import type * as acme from 'acme-client';
import type {
  AcmeChallengeProvider,
  AcmeChallengeRequest,
  AcmeChallengeTarget,
  AcmeChallengeType,
} from '../../../sdk/index.js';

/** How one name of an order is proven. */
export interface ChallengePlan {
  provider: AcmeChallengeProvider;
  target: AcmeChallengeTarget;
}

/** Picks a provider for a name among the challenge types the CA offers for it. */
export type ChallengeChooser = (name: string, offered: AcmeChallengeType[]) => Promise<ChallengePlan>;

/** An order step failed for one name; the message is the CA's (or the provider's) own words. */
export class OrderStepError extends Error {
  constructor(
    readonly identifier: string,
    readonly cause: unknown,
  ) {
    super(`${identifier}: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/**
 * One ACME order: every authorization is proven through the chosen provider, then the order is
 * finalised with the CSR and the full chain returned. Whatever was published is removed again
 * whether the order succeeds or not, and authorizations left pending are deactivated.
 */
export async function placeOrder(
  client: acme.Client,
  names: string[],
  csr: Buffer,
  choose: ChallengeChooser,
): Promise<string> {
  const order = await client.createOrder({ identifiers: names.map((value) => ({ type: 'dns', value })) });
  const authorizations = await client.getAuthorizations(order);
  const cleanups: (() => Promise<void>)[] = [];
  const results = await Promise.allSettled(
    authorizations.map(async (authz) => {
      if (authz.status === 'valid') return;
      const name = (authz.wildcard ? '*.' : '') + authz.identifier.value;
      let completed = false;
      try {
        const offered = authz.challenges.map((c) => c.type as AcmeChallengeType);
        const plan = await choose(name, offered);
        const challenge = authz.challenges.find((c) => c.type === plan.provider.type)!;
        const request: AcmeChallengeRequest = {
          type: plan.provider.type,
          token: challenge.token,
          keyAuthorization: await client.getChallengeKeyAuthorization(challenge),
        };
        // Registered before present() so that a half-done publication is cleaned up too.
        cleanups.push(() => plan.provider.cleanup(plan.target, request));
        await plan.provider.present(plan.target, request);
        await client.completeChallenge(challenge);
        completed = true;
        await client.waitForValidStatus(challenge);
      } catch (e) {
        if (!completed) await client.deactivateAuthorization(authz).catch(() => undefined);
        throw new OrderStepError(name, e);
      }
    }),
  );
  try {
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const finalized = await client.finalizeOrder(order, csr);
    return await client.getCertificate(finalized);
  } finally {
    await Promise.allSettled(cleanups.map((fn) => fn()));
  }
}
