// Where the panel's own certificate answers its HTTP-01 challenge: always its panel_webroot, never
// the document root of an account that holds server_hostname (a row left from before the domains
// plugin refused that name). Stand-ins for the CA and the domain directory: this is about the choice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { domainDirectory, type AcmeChallengeTarget, type DomainInfo, type PluginContext } from '../../sdk/index.js';
import type { AcmeIssuer } from './acme/issuer.js';
import type { SslSettings } from './config.js';
import { PanelCertificate } from './panel-certificate.js';

const dir = mkdtempSync(path.join(tmpdir(), 'velopanel-panel-cert-'));
const host = 'panel.example.test';

function subject(held: DomainInfo | null) {
  const targets: AcmeChallengeTarget[] = [];
  const issuer = {
    issue: async (names: string[], targetFor: (n: string) => AcmeChallengeTarget) => {
      targets.push(targetFor(names[0]!));
      throw new Error('no CA here');
    },
  } as unknown as AcmeIssuer;
  const ctx = {
    services: {
      find: (ref: unknown) =>
        ref === domainDirectory ? { byName: async (n: string) => (n === held?.domain_name ? held : null) } : undefined,
    },
    logger: { info() {}, error() {} },
  } as unknown as PluginContext;
  const s = {
    panelCertificate: 'acme',
    serverHostname: host,
    panelWebroot: path.join(dir, 'webroot'),
    stateDir: dir,
  } as SslSettings;
  return { panel: new PanelCertificate(ctx, s, issuer), targets };
}

describe('the panel certificate challenge target', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers from panel_webroot when no account holds the host name', async () => {
    const { panel, targets } = subject(null);
    await expect(panel.renew()).rejects.toThrow('no CA here');
    expect(targets).toEqual([{ name: host, domain: host, account: null, webroot: path.join(dir, 'webroot') }]);
  });

  it("refuses to answer from an account's document root when a tenant's row holds the host name", async () => {
    const held: DomainInfo = {
      id: 7,
      account_id: 3,
      domain_name: host,
      domain_type: 'addon',
      document_root: '/home/mallory/panel',
      alias_of: null,
      created_at: '',
    };
    const { panel, targets } = subject(held);
    await expect(panel.renew()).rejects.toMatchObject({
      status: 409,
      message: `server_hostname '${host}' is a domain of account 3; delete that domain so the panel answers its own challenge`,
    });
    expect(targets).toEqual([]);
  });
});
