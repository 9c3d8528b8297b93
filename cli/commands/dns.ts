import { YES_OPTION, type CommandSpec } from '../command.js';
import { Exit, usageError } from '../exit-codes.js';
import { keyValues, table, type Column } from '../output.js';
import { confirm, readStdin } from '../prompt.js';

/** An RRset as `/api/dns/zones/:domain` returns it. */
interface RRset {
  name: string;
  relative: string;
  type: string;
  ttl: number;
  records: string[];
}

interface Zone {
  zone: string;
  account_id: number;
  domain_id: number;
  created_at: string;
}

const ZONE_COLUMNS: Column<Zone>[] = [
  { header: 'ZONE', cell: (z) => z.zone },
  { header: 'ACCOUNT', cell: (z) => z.account_id, right: true },
  { header: 'CREATED', cell: (z) => z.created_at },
];

/** One line per record, so a multi-record RRset reads like a zone file. */
function recordRows(sets: RRset[]): string[] {
  const rows = sets.flatMap((s) =>
    s.records.map((r) => ({
      name: s.relative,
      type: s.type,
      ttl: s.ttl,
      content: s.type === 'TXT' ? JSON.stringify(r) : r,
    })),
  );
  return table(rows, [
    { header: 'NAME', cell: (r) => r.name },
    { header: 'TYPE', cell: (r) => r.type },
    { header: 'TTL', cell: (r) => r.ttl, right: true },
    { header: 'CONTENT', cell: (r) => r.content },
  ]);
}

const zoneArg = { name: 'zone', help: 'the zone (a primary, addon or alias domain)' };
const path = (zone: string) => `/api/dns/zones/${encodeURIComponent(zone)}`;

export const dnsZonesCommand: CommandSpec = {
  path: ['dns', 'zones'],
  summary: 'List the DNS zones you can see',
  async run(ctx) {
    const zones = await ctx.api().request<Zone[]>('GET', '/api/dns/zones');
    ctx.out.result(zones, () => table(zones, ZONE_COLUMNS));
    return Exit.OK;
  },
};

export const dnsShowCommand: CommandSpec = {
  path: ['dns', 'show'],
  summary: 'Show the records of a zone, and its DNSSEC DS records when signed',
  args: [zoneArg],
  async run(ctx) {
    const z = await ctx
      .api()
      .request<{ zone: string; rrsets: RRset[]; dnssec: { signed: boolean; ds: string[] } | null }>(
        'GET',
        path(ctx.args.zone!),
      );
    ctx.out.result(z, () => [
      ...recordRows(z.rrsets),
      ...(z.dnssec?.signed ? ['', ...z.dnssec.ds.map((ds) => `DS ${ds}`)] : []),
    ]);
    return Exit.OK;
  },
};

export const dnsSetCommand: CommandSpec = {
  path: ['dns', 'set'],
  summary: 'Replace one RRset: every record of a name and type',
  args: [
    zoneArg,
    { name: 'name', help: '@ for the apex, a name relative to the zone (www), or a full name' },
    { name: 'type', help: 'A, AAAA, CNAME, MX, TXT, SRV, CAA or NS' },
    { name: 'content', help: 'the record, or - to read one record per line from standard input' },
  ],
  options: [{ name: 'ttl', value: 'SECONDS', help: "time to live, 60–604800 (default: the panel's default_ttl)" }],
  details:
    "Examples:\n  velopanel dns set example.com www A 192.0.2.10\n  printf '10 mx1.example.net\\n20 mx2.example.net\\n' | velopanel dns set example.com @ MX -",
  async run(ctx) {
    const [zone, name, type, content] = [ctx.args.zone!, ctx.args.name!, ctx.args.type!, ctx.args.content!];
    const records =
      content === '-'
        ? (await readStdin(512 * 1024))
            .split('\n')
            .map((l) => l.replace(/\r$/, ''))
            .filter((l) => l.trim())
        : [content];
    const ttl = ctx.options.ttl === undefined ? undefined : Number(ctx.options.ttl);
    if (ttl !== undefined && !Number.isInteger(ttl))
      throw usageError('--ttl must be a whole number of seconds', 'dns set');
    const z = await ctx.api().request<{ rrsets: RRset[] }>('PUT', `${path(zone)}/records`, {
      body: { name, type: type.toUpperCase(), records, ...(ttl === undefined ? {} : { ttl }) },
    });
    const changed = z.rrsets.filter(
      (s) => s.type === type.toUpperCase() && (s.relative === name || s.name === name.replace(/\.$/, '').toLowerCase()),
    );
    ctx.out.result(z, () => [`Set ${type.toUpperCase()} ${name} in ${zone}:`, ...recordRows(changed)]);
    return Exit.OK;
  },
};

export const dnsDeleteCommand: CommandSpec = {
  path: ['dns', 'delete'],
  summary: 'Delete one RRset (every record of a name and type)',
  args: [zoneArg, { name: 'name', help: '@ for the apex, or the name' }, { name: 'type', help: 'the record type' }],
  options: [YES_OPTION],
  async run(ctx) {
    const [zone, name, type] = [ctx.args.zone!, ctx.args.name!, ctx.args.type!];
    await confirm(ctx.options.yes, `delete every ${type.toUpperCase()} record of ${name} in ${zone}`);
    const z = await ctx
      .api()
      .request<unknown>(
        'DELETE',
        `${path(zone)}/records/${encodeURIComponent(name)}/${encodeURIComponent(type.toUpperCase())}`,
      );
    ctx.out.result(z, () => `Deleted ${type.toUpperCase()} ${name} from ${zone}.`);
    return Exit.OK;
  },
};

export const dnsStatusCommand: CommandSpec = {
  path: ['dns', 'status'],
  summary: 'The DNS server and what the last reconciliation repaired (admin)',
  options: [{ name: 'reconcile', help: 'run the reconciliation now first' }],
  async run(ctx) {
    if (ctx.options.reconcile) await ctx.api().request('POST', '/api/dns/reconcile');
    const s = await ctx.api().request<{
      engine: string;
      server: { available: boolean; version?: string; reason?: string };
      reconciliation: Record<string, unknown>;
    }>('GET', '/api/dns/status');
    const r = s.reconciliation;
    const list = (k: string) => ((r[k] as string[] | undefined) ?? []).join(', ') || '-';
    ctx.out.result(s, () =>
      keyValues([
        ['engine', s.engine],
        ['server', s.server.available ? s.server.version : `unavailable: ${s.server.reason}`],
        ['reconciliation', r.state],
        ['created zones', list('created_zones')],
        ['adopted zones', list('adopted_zones')],
        ['removed zones', list('removed_zones')],
        ['added records', list('added_records')],
        ['removed records', list('removed_records')],
        ['foreign zones', list('foreign_zones')],
        ['failed', list('failed')],
      ]),
    );
    return Exit.OK;
  },
};
