import {
  accountDirectory,
  errors,
  Type,
  type ApiRequest,
  type Principal,
  type PluginContext,
  type RouteDefinition,
} from '../../sdk/index.js';
import type { CertificateStore } from './certificates.js';
import { ACME_EMAIL_MISSING } from './config.js';
import type { PanelCertificate } from './panel-certificate.js';
import { CertificateName, DomainName, Webroot } from './domain-name.js';
import type { Provisioner } from './provisioning.js';
import type { RemovedDomains } from './removed-domains.js';
import { asJob, renewDue } from './renewal.js';

const DomainParams = Type.Object({ domain: DomainName });
const ProvisionBody = Type.Object({
  domain: CertificateName,
  webroot: Type.Optional(Webroot),
  /** Also cover `*.<domain>` (as does a `*.`-prefixed domain); proven by DNS-01. */
  wildcard: Type.Optional(Type.Boolean()),
  challenge: Type.Optional(
    Type.Union([Type.Literal('http-01'), Type.Literal('dns-01')], { 'x-error': 'must be "http-01" or "dns-01"' }),
  ),
});

/** The domain, wildcard and challenge a provision asks for; a wildcard can only be proven by DNS-01. */
function provisionRequest(body: {
  domain: string;
  webroot?: string;
  wildcard?: boolean;
  challenge?: 'http-01' | 'dns-01';
}) {
  const raw = body.domain.toLowerCase();
  const star = raw.startsWith('*.');
  if (star && body.wildcard === false) throw errors.validation('wildcard: false contradicts the *. domain name');
  const wildcard = star || body.wildcard === true;
  const challenge = body.challenge ?? (wildcard ? 'dns-01' : null);
  if (wildcard && challenge === 'http-01')
    throw errors.validation('challenge: a wildcard certificate can only be proven with dns-01');
  if (challenge === 'dns-01' && body.webroot !== undefined)
    throw errors.validation('webroot: only http-01 uses a webroot');
  return { name: star ? raw.slice(2) : raw, method: { challenge, wildcard } };
}
const Pem = (max: number, what: string) =>
  Type.String({ minLength: 1, maxLength: max, 'x-error': `must be a PEM ${what} of at most ${max} characters` });
const UploadBody = Type.Object({
  domain: DomainName,
  certificate: Pem(65_536, 'certificate'),
  private_key: Pem(16_384, 'private key'),
  chain: Type.Optional(
    Type.String({ maxLength: 65_536, 'x-error': 'must be PEM certificates of at most 65536 characters' }),
  ),
});

/**
 * The SSL API (`/api/ssl/…`). Every domain route resolves the domain to its account and lets the
 * kernel check ownership: admin always, a reseller for its accounts, a user for its own account.
 */
export function sslRoutes(
  ctx: PluginContext,
  prov: Provisioner,
  store: CertificateStore,
  removed: RemovedDomains,
  panel: PanelCertificate,
  acmeEmail: string,
): RouteDefinition[] {
  const accounts = () => ctx.services.get(accountDirectory);
  const ownerOf = async (name: string) => accounts().owner((await prov.domain(name.toLowerCase())).account_id);
  const byParam = { owner: (req: ApiRequest) => ownerOf(req.params.domain) };
  const job = (req: ApiRequest, kind: string, target: string) => ({
    kind,
    target,
    ownerUserId: req.principal?.userId ?? null,
  });

  /** Accounts the caller may see: null for all (admin). */
  const visible = async (p: Principal | null): Promise<number[] | null> => {
    if (p?.role === 'admin') return null;
    if (p?.role === 'reseller') return (await accounts().list({ resellerId: p.userId })).map((a) => a.id);
    const bound = /^account:(\d+)$/.exec(p?.subject ?? '');
    return bound ? [Number(bound[1])] : [];
  };

  const renew = (req: ApiRequest) => {
    // The kernel answers HEAD with GET routes; a HEAD must never order a certificate.
    if (req.raw.method === 'HEAD')
      throw errors.methodNotAllowed('HEAD is not allowed on /api/ssl/renew: use GET or POST');
    const name = String(req.params.domain).toLowerCase();
    req.auditTarget = `domain:${name}`;
    return asJob(ctx.jobs, { ...job(req, 'ssl.renew', `domain:${name}`) }, () => prov.renew(name));
  };

  return [
    {
      // Lets a client say "certificates cannot be ordered yet, and why" before anyone clicks.
      method: 'GET',
      path: '/api/ssl/acme',
      summary: 'Whether certificates can be ordered from the ACME CA; `reason` says what is missing',
      access: { scope: 'ssl:read' },
      handler: () => (acmeEmail ? { ready: true, reason: null } : { ready: false, reason: ACME_EMAIL_MISSING }),
    },
    {
      method: 'GET',
      path: '/api/ssl/certificates',
      summary: 'List certificates with issuer, expiry and files',
      access: { scope: 'ssl:read' },
      handler: async (req) => {
        const ids = await visible(req.principal);
        await removed.sweep(ids);
        return store.list(ids);
      },
    },
    {
      method: 'POST',
      path: '/api/ssl/provision',
      summary:
        'Provision a certificate for a domain (ACME HTTP-01 through the domain\'s webroot, or DNS-01 with "challenge": "dns-01"; "wildcard": true or a *. name adds *.<domain>)',
      schema: { body: ProvisionBody },
      access: { scope: 'ssl:write', owner: (req) => ownerOf(String(req.body.domain).replace(/^\*\./, '')) },
      handler: (req) => {
        const { name, method } = provisionRequest(req.body);
        req.auditTarget = `domain:${name}`;
        return asJob(ctx.jobs, job(req, 'ssl.provision', `domain:${name}`), () =>
          prov.provision(name, req.body.webroot, method),
        );
      },
    },
    {
      method: 'GET',
      path: '/api/ssl/certificate/:domain',
      summary: 'Certificate details: subject, SANs, issuer, validity, serial, days left, renewal status',
      schema: { params: DomainParams },
      access: { scope: 'ssl:read', ...byParam },
      handler: async (req) => {
        const name = String(req.params.domain).toLowerCase();
        await removed.forget(name);
        const view = await store.view(name);
        if (!view) throw errors.notFound(`No certificate for ${req.params.domain}`);
        return view;
      },
    },
    {
      method: 'GET',
      path: '/api/ssl/renew/:domain',
      summary: 'Renew the certificate of a domain now (changes state: CSRF-checked and audited)',
      schema: { params: DomainParams },
      access: { scope: 'ssl:write', mutating: true, ...byParam },
      handler: renew,
    },
    {
      method: 'POST',
      path: '/api/ssl/renew/:domain',
      summary: 'Renew the certificate of a domain now',
      schema: { params: DomainParams },
      access: { scope: 'ssl:write', ...byParam },
      handler: renew,
    },
    {
      method: 'POST',
      path: '/api/ssl/auto-renew',
      summary: 'Renew every certificate expiring within the renewal window (30 days)',
      access: { scope: 'ssl:write' },
      handler: async (req) => {
        const ids = await visible(req.principal);
        return asJob(ctx.jobs, { ...job(req, 'ssl.auto-renew', 'ssl'), serialKey: 'ssl:auto-renew' }, (progress) =>
          renewDue(store.rows, prov, removed, ids, progress),
        );
      },
    },
    {
      method: 'POST',
      path: '/api/ssl/upload',
      summary: 'Install a custom certificate (PEM certificate, key and optional chain)',
      schema: { body: UploadBody },
      access: { scope: 'ssl:write', owner: (req) => ownerOf(req.body.domain) },
      handler: (req) => {
        const name = String(req.body.domain).toLowerCase();
        req.auditTarget = `domain:${name}`;
        return prov.upload(name, req.body);
      },
    },
    {
      method: 'DELETE',
      path: '/api/ssl/certificate/:domain',
      summary: "Stop serving a domain's certificate and delete it",
      schema: { params: DomainParams },
      access: { scope: 'ssl:write', ...byParam },
      handler: async (req) => {
        const name = String(req.params.domain).toLowerCase();
        req.auditTarget = `domain:${name}`;
        if (!(await prov.remove(name))) throw errors.notFound(`No certificate for ${name}`);
        return { domain: name, removed: true };
      },
    },
    {
      method: 'GET',
      path: '/api/ssl/panel-certificate',
      summary: "The panel's own HTTPS certificate (server_hostname)",
      access: { roles: ['admin'], scope: 'ssl:read' },
      handler: () => panel.describe(),
    },
    {
      method: 'POST',
      path: '/api/ssl/panel-certificate',
      summary: 'Order the panel\'s own certificate now (panel_certificate = "acme")',
      access: { roles: ['admin'], scope: 'ssl:write' },
      handler: () =>
        asJob(ctx.jobs, { kind: 'ssl.panel-certificate', target: 'panel', serialKey: 'ssl:panel' }, async () => {
          await panel.renew();
          return panel.describe();
        }),
    },
  ];
}
