import { readFileSync } from 'node:fs';
import {
  accountDirectory,
  acmeChallengeProviders,
  certificateExpiries,
  definePlugin,
  domainDirectory,
  KeyedLock,
  vhostContributors,
  type PluginContext,
} from '../../sdk/index.js';
import { AcmeIssuer } from './acme/issuer.js';
import { trustCaFor } from './acme/ca-trust.js';
import { CertificateStore } from './certificates.js';
import { Http01WebrootProvider } from './challenges/http01-webroot.js';
import { SslConfig, sslSettings, type SslSettings } from './config.js';
import { PanelCertificate } from './panel-certificate.js';
import { Provisioner } from './provisioning.js';
import { asJob, renewDue } from './renewal.js';
import { RemovedDomains } from './removed-domains.js';
import { sslRoutes } from './routes.js';
import { CertificateFiles } from './store/certificate-files.js';
import { CertificateRows, migrations } from './store/certificate-rows.js';

async function trustConfiguredCa(ctx: PluginContext, s: SslSettings): Promise<void> {
  if (!s.caFile) return;
  let pem: string;
  try {
    pem = readFileSync(s.caFile, 'utf8');
  } catch (e) {
    throw new Error(
      `plugins.ssl.ca_file: cannot read ${s.caFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new Error(`plugins.ssl.ca_file: ${s.caFile} holds no PEM certificate`);
  ctx.onStop(await trustCaFor(s.directoryUrl, pem));
}

/**
 * SSL certificates: ACME (Let's Encrypt, its staging, or any directory such as pebble) through
 * pluggable challenge providers, custom uploads, the certificate paths of every vhost, daily
 * renewal on the kernel's scheduler, and the panel's own HTTPS certificate.
 */
export default definePlugin<SslConfig>({
  manifest: {
    id: 'ssl',
    name: 'SSL certificates',
    version: '1.0.0',
    sdk: '^1.0.0',
    optionalDependencies: ['accounts', 'domains'],
    provides: ['vhost-contributors', 'acme-challenges', 'certificate-expiries'],
    consumes: ['accounts.directory?', 'domains.directory?'],
    description: "Let's Encrypt / ACME certificates, custom certificates and the panel's own HTTPS",
  },
  configSchema: SslConfig,
  migrations,
  async start(ctx) {
    const s = sslSettings(ctx.config, ctx.settings);
    await trustConfiguredCa(ctx, s);
    const files = new CertificateFiles(s.storeDir);
    files.prepare();
    const narrowed = files.tightenKeys();
    if (narrowed.length)
      ctx.logger.warn('narrowed the modes of certificate keys that had drifted', { files: narrowed });
    const domains = () => ctx.services.get(domainDirectory);
    const rows = new CertificateRows(ctx.db);
    const store = new CertificateStore(rows, files, domains, s.renewBeforeDays, ctx.logger);

    const lock = new KeyedLock();
    const removed = new RemovedDomains({ store, domains, lock, audit: (e) => ctx.audit(e), logger: ctx.logger });
    ctx.services.provide(certificateExpiries, {
      async list() {
        await removed.sweep(null);
        return (await rows.list(null)).map((r) => ({ name: r.domain, notAfter: r.not_after, source: r.source }));
      },
    });
    ctx.extensions.provide(acmeChallengeProviders, 'http-01-webroot', new Http01WebrootProvider());
    const providers = () =>
      ctx.extensions
        .entries(acmeChallengeProviders)
        .filter((e) => e.available)
        .map((e) => e.value);
    const issuer = new AcmeIssuer(s, providers);
    const prov = new Provisioner({
      accounts: () => ctx.services.get(accountDirectory),
      domains,
      issuer,
      store,
      lock,
      renewBeforeDays: s.renewBeforeDays,
      mode: ctx.settings.mode,
    });

    ctx.extensions.provide(vhostContributors, 'ssl', {
      async contribute(spec) {
        const tls = await store.tlsFor(spec.domain, spec.accountId);
        if (tls) spec.tls = tls;
      },
      async contributeAll(specs) {
        const tls = await store.tlsForMany(specs.map((s) => ({ domain: s.domain, accountId: s.accountId })));
        specs.forEach((spec, i) => {
          if (tls[i]) spec.tls = tls[i];
        });
      },
    });

    // The account's vhosts are gone with it; only the stored certificates are left to forget.
    ctx.hooks.after('account.deleted', async ({ account }) => {
      await store.forget((await rows.list([account.id])).map((r) => r.domain));
    });
    // A single domain removed: its certificate goes at once.
    ctx.hooks.after('domain.deleted', async ({ domain }) => void (await removed.forget(domain.domain_name)));
    // Certificates of domains deleted while the panel was down.
    ctx.onReady(async () => void (await removed.sweep(null)));

    const panel = new PanelCertificate(ctx, s, issuer);
    for (const r of sslRoutes(ctx, prov, store, removed, panel, s.email)) ctx.route(r);
    ctx.scheduler.schedule({
      name: 'auto-renew',
      when: `daily ${s.renewTime}`,
      run: async () => {
        const summary = await asJob(
          ctx.jobs,
          { kind: 'ssl.auto-renew', target: 'ssl', serialKey: 'ssl:auto-renew' },
          (p) => renewDue(rows, prov, removed, null, p),
        );
        const panelResult = await panel.renewIfDue().catch((e) => `failed: ${(e as Error).message}`);
        ctx.logger.info('daily certificate renewal', {
          renewed: summary.renewed.length,
          skipped: summary.skipped.length,
          errors: summary.errors,
          panel: panelResult,
        });
      },
    });
    ctx.onStop(() => panel.stop());
    await panel.start();
  },
});
