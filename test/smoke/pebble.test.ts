// pebble as the ssl plugin uses it: a full ACME order with acme-client, HTTP-01 validated for
// real (pebble GETs the token from our responder), certificate chaining to pebble's root.
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHALLENGE_PORT_HOOK_MS } from '../bed/helpers/pebble.js';
import * as acme from 'acme-client';
import { useServices } from '../bed/index.js';
import {
  chainsToPebbleRoot,
  splitPem,
  startChallengeResponder,
  trustPebble,
  type ChallengeResponder,
} from '../bed/helpers/pebble.js';

const bed = useServices('pebble');

describe.skipIf(bed.skip)('smoke: pebble', () => {
  let responder: ChallengeResponder;

  beforeAll(async () => {
    trustPebble(acme, bed.pebble);
    responder = await startChallengeResponder(bed.pebble);
  }, CHALLENGE_PORT_HOOK_MS);

  afterAll(async () => {
    await responder?.close();
  });

  const newClient = async () =>
    new acme.Client({
      directoryUrl: bed.pebble.directoryUrl,
      accountKey: await acme.crypto.createPrivateKey(),
      backoffMin: 100,
      backoffMax: 1_000,
      backoffAttempts: 20,
    });

  it('issues a certificate after a real HTTP-01 validation', async () => {
    const domain = `smoke-${process.pid}.velopanel.test`;
    const client = await newClient();
    const [, csr] = await acme.crypto.createCsr({ commonName: domain });
    const fullchain = await client.auto({
      csr,
      email: 'smoke@velopanel.test',
      termsOfServiceAgreed: true,
      challengePriority: ['http-01'],
      skipChallengeVerification: true,
      challengeCreateFn: async (_authz, challenge, keyAuthorization) =>
        responder.set(challenge.token, keyAuthorization),
      challengeRemoveFn: async (_authz, challenge) => responder.delete(challenge.token),
    });

    expect(
      responder.requests.some((r) => r.startsWith(`${domain}:${bed.pebble.httpPort}/.well-known/acme-challenge/`)),
    ).toBe(true);
    const [leaf] = splitPem(fullchain);
    expect(leaf).toBeInstanceOf(X509Certificate);
    expect(leaf?.subjectAltName).toContain(`DNS:${domain}`);
    expect(await chainsToPebbleRoot(bed.pebble, fullchain)).toBe(true);
  });

  it('fails the order when the challenge is not served (validation is real)', async () => {
    const client = await newClient();
    const [, csr] = await acme.crypto.createCsr({ commonName: `unserved-${process.pid}.velopanel.test` });
    await expect(
      client.auto({
        csr,
        termsOfServiceAgreed: true,
        challengePriority: ['http-01'],
        skipChallengeVerification: true,
        challengeCreateFn: async () => undefined,
        challengeRemoveFn: async () => undefined,
      }),
    ).rejects.toThrow(/Non-200 status code from HTTP/);
  });
});
