import {
  accountDirectory,
  DNS_RECORD_TYPES,
  errors,
  normalizeDomainName,
  Type,
  type ApiRequest,
  type DnsServerEngine,
  type Principal,
  type PluginContext,
  type RouteDefinition,
} from '../../sdk/index.js';
import type { DnsReconciliation } from './reconcile.js';
import type { RecordEditor } from './records.js';
import type { DnsStore, ZoneRow } from './store.js';

const Zone = Type.String({ minLength: 1, maxLength: 253, 'x-error': 'must be a domain name like example.com' });
const RecordType = Type.Union(
  DNS_RECORD_TYPES.map((t) => Type.Literal(t)),
  { 'x-error': `must be one of ${DNS_RECORD_TYPES.join(', ')}` },
);
const ZoneParams = Type.Object({ domain: Zone });
const RRsetParams = Type.Object({
  domain: Zone,
  name: Type.String({ minLength: 1, maxLength: 253 }),
  type: RecordType,
});
const RRsetBody = Type.Object({
  name: Type.String({
    maxLength: 253,
    'x-error': 'must be a name in the zone: @, a relative name like www, or a full name',
  }),
  type: RecordType,
  ttl: Type.Optional(
    Type.Integer({ minimum: 60, maximum: 604_800, 'x-error': 'must be a whole number of seconds from 60 to 604800' }),
  ),
  records: Type.Array(Type.String({ maxLength: 4000, 'x-error': 'must be a string of at most 4000 characters' }), {
    minItems: 1,
    maxItems: 100,
    'x-error': 'must be a list of 1 to 100 records (DELETE removes an RRset)',
  }),
});
const DnssecBody = Type.Object({ enabled: Type.Boolean() });

/** The DNS API (`/api/dns/…`): zones as the panel made them, checked per owner like domains. */
export function dnsRoutes(
  ctx: PluginContext,
  d: {
    store: DnsStore;
    editor: RecordEditor;
    engine: () => DnsServerEngine;
    report: DnsReconciliation;
    reconcile: () => Promise<DnsReconciliation>;
  },
): RouteDefinition[] {
  const accounts = () => ctx.services.get(accountDirectory);
  /** The 503 naming what to install comes before anything else: the feature is off without a server. */
  const ready = async () => {
    const s = await d.engine().status();
    if (!s.available)
      throw errors
        .unavailable(`DNS is unavailable: ${s.reason ?? 'the DNS server cannot be reached'}`)
        .withAdminDetail(s.detail ?? '');
  };
  const zoneOf = async (req: ApiRequest): Promise<ZoneRow> => {
    const name = normalizeDomainName(String(req.params.domain));
    const row = name ? await d.store.zone(name) : null;
    if (!row) throw errors.notFound(`No DNS zone ${String(req.params.domain)} in the panel`);
    req.auditTarget = `zone:${row.zone}`;
    return row;
  };
  /** A handler on the zone `:domain` names, once the server answers. */
  const onZone = (work: (z: ZoneRow, req: ApiRequest) => Promise<unknown>) => async (req: ApiRequest) => {
    await ready();
    return work(await zoneOf(req), req);
  };
  /** Ownership first needs the server: without it the answer is the 503, not a 404 for a zone it could not make. */
  const owner = async (req: ApiRequest) => {
    await ready();
    const name = normalizeDomainName(String(req.params.domain));
    const row = name ? await d.store.zone(name) : null;
    // The same words for everyone: a zone that does not exist is nobody's.
    if (!row)
      throw errors.notFound(
        `No DNS zone ${String(req.params.domain)} in the panel (a subdomain's records are in its parent's zone)`,
      );
    return accounts().owner(row.account_id);
  };
  /** Accounts the caller may see: null for all (admin). */
  const visible = async (p: Principal | null): Promise<number[] | null> => {
    if (p?.role === 'admin') return null;
    if (p?.role === 'reseller') return (await accounts().list({ resellerId: p.userId })).map((a) => a.id);
    const bound = /^account:(\d+)$/.exec(p?.subject ?? '');
    return bound ? [Number(bound[1])] : [];
  };
  const describe = async (z: ZoneRow) => ({
    zone: z.zone,
    account_id: z.account_id,
    domain_id: z.domain_id,
    rrsets: await d.editor.view(z),
    dnssec: d.engine().dnssec ? await d.engine().dnssec!.state(z.zone) : null,
  });

  return [
    {
      method: 'GET',
      path: '/api/dns/status',
      summary: 'DNS server status and what start-up reconciliation repaired',
      access: { roles: ['admin'], scope: 'dns:read' },
      handler: async () => ({ engine: d.engine().id, server: await d.engine().status(), reconciliation: d.report }),
    },
    {
      method: 'POST',
      path: '/api/dns/reconcile',
      summary: 'Run zone reconciliation now (report and repair drift)',
      access: { roles: ['admin'], scope: 'dns:write' },
      handler: async () => {
        await ready();
        return d.reconcile();
      },
    },
    {
      method: 'GET',
      path: '/api/dns/zones',
      summary: 'Zones of the domains the caller may see',
      access: { scope: 'dns:read' },
      handler: async (req) => {
        await ready();
        return (await d.store.zones(await visible(req.principal))).map((z) => ({
          zone: z.zone,
          account_id: z.account_id,
          domain_id: z.domain_id,
          created_at: z.created_at,
        }));
      },
    },
    {
      method: 'GET',
      path: '/api/dns/zones/:domain',
      summary: 'One zone with every RRset and its DNSSEC state',
      schema: { params: ZoneParams },
      access: { scope: 'dns:read', owner },
      handler: onZone(async (z) => describe(z)),
    },
    {
      method: 'PUT',
      path: '/api/dns/zones/:domain/records',
      summary: 'Replace one RRset (name + type) of a zone',
      schema: { params: ZoneParams, body: RRsetBody },
      access: { scope: 'dns:write', owner },
      handler: onZone(async (z, req) => ({
        zone: z.zone,
        rrsets: await d.editor.replace(z, req.body),
      })),
    },
    {
      method: 'DELETE',
      path: '/api/dns/zones/:domain/records/:name/:type',
      summary: 'Delete one RRset (name @ for the apex)',
      schema: { params: RRsetParams },
      access: { scope: 'dns:write', owner },
      handler: onZone(async (z, req) => ({
        zone: z.zone,
        rrsets: await d.editor.remove(z, String(req.params.name), req.params.type),
      })),
    },
    {
      method: 'PUT',
      path: '/api/dns/zones/:domain/dnssec',
      summary: 'Sign the zone with DNSSEC (enabled: true) or stop; answers the DS records to publish',
      schema: { params: ZoneParams, body: DnssecBody },
      access: { scope: 'dns:write', owner },
      handler: onZone(async (z, req) => {
        const sec = d.engine().dnssec;
        if (!sec) throw errors.conflict(`The DNS engine '${d.engine().id}' cannot sign zones`);
        if (req.body.enabled) return { zone: z.zone, ...(await sec.enable(z.zone)) };
        await sec.disable(z.zone);
        return { zone: z.zone, ...(await sec.state(z.zone)) };
      }),
    },
  ];
}
