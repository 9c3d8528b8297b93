// PowerDNS as the dns plugin uses it: zones and RRsets through the HTTP API, answers over DNS at
// once (dig), and pebble validating a wildcard order by DNS-01 through that same server.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as acme from 'acme-client';
import { useServices } from '../bed/index.js';
import { dig, pdnsRequest } from '../bed/helpers/pdns.js';
import { chainsToPebbleRoot, splitPem, trustPebble } from '../bed/helpers/pebble.js';

const bed = useServices('pdns', 'pebbledns');
const tag = process.pid.toString(36);

describe.skipIf(bed.skip)('smoke: PowerDNS', () => {
  it('creates a zone, replaces an RRset and answers it over DNS', async () => {
    const zone = `smoke-${tag}.test`;
    await pdnsRequest(bed.pdns, 'POST', '/zones', { name: `${zone}.`, kind: 'Native', nameservers: [`ns1.${zone}.`] });
    await pdnsRequest(bed.pdns, 'PATCH', `/zones/${zone}.`, {
      rrsets: [
        {
          name: `www.${zone}.`,
          type: 'A',
          ttl: 60,
          changetype: 'REPLACE',
          records: [{ content: '192.0.2.7', disabled: false }],
        },
      ],
    });
    expect(await dig(bed.pdns, `www.${zone}`, 'A')).toEqual(['192.0.2.7']);
    expect(await dig(bed.pdns, zone, 'NS')).toEqual([`ns1.${zone}.`]);
  });

  it('lets pebble validate a wildcard by DNS-01 through its own PowerDNS', async () => {
    const { pdns } = bed.pebbledns;
    const zone = `wild-${tag}.test`;
    await pdnsRequest(pdns, 'POST', '/zones', { name: `${zone}.`, kind: 'Native', nameservers: [`ns1.${zone}.`] });
    trustPebble(acme, bed.pebbledns);
    const client = new acme.Client({
      directoryUrl: bed.pebbledns.directoryUrl,
      accountKey: await acme.crypto.createPrivateKey(),
      backoffMin: 100,
      backoffMax: 1_000,
      backoffAttempts: 20,
    });
    const [, csr] = await acme.crypto.createCsr({ commonName: `*.${zone}`, altNames: [`*.${zone}`] });
    const txt = (value: string | null) =>
      pdnsRequest(pdns, 'PATCH', `/zones/${zone}.`, {
        rrsets: [
          {
            name: `_acme-challenge.${zone}.`,
            type: 'TXT',
            ttl: 60,
            changetype: value ? 'REPLACE' : 'DELETE',
            records: value ? [{ content: `"${value}"`, disabled: false }] : [],
          },
        ],
      });
    const fullchain = await client.auto({
      csr,
      email: 'smoke@velopanel.test',
      termsOfServiceAgreed: true,
      challengePriority: ['dns-01'],
      skipChallengeVerification: true,
      challengeCreateFn: async (_a, _c, keyAuthorization) => void (await txt(keyAuthorization)),
      challengeRemoveFn: async () => void (await txt(null)),
    });
    const [leaf] = splitPem(fullchain);
    expect(leaf).toBeInstanceOf(X509Certificate);
    expect(leaf?.subjectAltName).toBe(`DNS:*.${zone}`);
    expect(await chainsToPebbleRoot(bed.pebbledns, fullchain)).toBe(true);
    expect(await dig(pdns, `_acme-challenge.${zone}`, 'TXT')).toEqual([]);
  });
});
