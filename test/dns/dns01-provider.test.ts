// The DNS-01 challenge provider of the dns plugin through the acme-challenges conformance suite
// (what it publishes is read back over real DNS), and the TXT records it must leave alone.
import { afterAll, describe, expect, it } from 'vitest';
import {
  acmeChallengeProviders,
  definePlugin,
  type AcmeChallengeProvider,
  type AcmeChallengeTarget,
} from '../../sdk/index.js';
import { acmeChallengeSuite } from '../../sdk/testing/index.js';
import { useServices } from '../bed/index.js';
import { dig } from '../bed/helpers/pdns.js';
import { startDnsPanel, type DnsPanel } from './stack.js';

const bed = useServices('pdns');
const tag = process.pid.toString(36);
let provider: () => AcmeChallengeProvider;
const probe = definePlugin({
  manifest: { id: 'probe', version: '1.0.0', sdk: '^1.0.0' },
  start(ctx) {
    provider = () => ctx.extensions.find(acmeChallengeProviders, 'dns-01-zones')!.value;
  },
});

describe.skipIf(bed.skip)('DNS-01 provider on PowerDNS', () => {
  let s: DnsPanel | undefined;
  let account: any;
  const setUp = async () => {
    if (!s) {
      s = await startDnsPanel(bed.pdns, { inline: [probe] });
      account = await s.account(`chal${tag}.test`);
    }
    return s;
  };
  afterAll(async () => {
    await s?.stop();
  });
  const target = (name: string): AcmeChallengeTarget => ({
    name,
    domain: account.primary_domain,
    account,
    webroot: account.home_dir,
  });
  const txt = async (t: AcmeChallengeTarget) =>
    (await dig(bed.pdns, `_acme-challenge.${t.name.replace(/^\*\./, '')}`, 'TXT')).map((v) => v.replace(/^"|"$/g, ''));

  acmeChallengeSuite.run('dns-01-zones', async () => {
    await setUp();
    return {
      provider: provider(),
      target: target(`*.${account.primary_domain}`),
      published: async (t, c) => ((await txt(t)).includes(c.keyAuthorization) ? c.keyAuthorization : null),
    };
  });

  it("does not support names outside the account's zones, and leaves hand-made TXT records alone", async () => {
    const panel = await setUp();
    const p = provider();
    expect(await p.supports(target('elsewhere.test'))).toBe(false);
    expect(await p.supports({ ...target(account.primary_domain), account: { ...account, id: account.id + 100 } })).toBe(
      false,
    );
    expect(await p.supports({ ...target(account.primary_domain), account: null })).toBe(false);
    const zone = account.primary_domain;
    expect(
      (
        await panel.api('PUT', `/api/dns/zones/${zone}/records`, {
          name: '_acme-challenge',
          type: 'TXT',
          records: ['by hand'],
        })
      ).status,
    ).toBe(200);
    const c = { type: 'dns-01' as const, token: 'tok', keyAuthorization: 'digest-value-1' };
    await p.present(target(zone), c);
    expect((await txt(target(zone))).sort()).toEqual(['by hand', 'digest-value-1']);
    await p.cleanup(target(zone), c);
    expect(await txt(target(zone))).toEqual(['by hand']);
  });
});
