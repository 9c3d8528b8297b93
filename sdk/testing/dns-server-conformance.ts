import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { isPanelError } from '../errors.js';
import type { DnsRRsetChange, DnsServerEngine } from '../points/dns-servers.js';
import { defineConformanceSuite } from './conformance.js';

/** What the DNS-server suite needs besides the engine. */
export interface DnsServerSubject {
  engine: DnsServerEngine;
  /** What the server answers over DNS for a name and type (sorted, `dig +short` style); [] for none. */
  resolve(name: string, type: string): Promise<string[]>;
}

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  return e === null ? null : isPanelError(e) ? e.code : `not a PanelError: ${(e as Error)?.message}`;
}

/**
 * The suite every DNS-server engine runs unchanged (first-party `powerdns`, a BIND engine, a
 * third party's): zone create/list/delete, SOA and NS, RRset replace and delete answered over
 * real DNS, all-or-nothing batches, idempotent deletes, conflicts. Zone names are unique per run
 * (`conf-<random>.test`); the suite deletes every zone it made.
 *
 * @example
 * ```ts
 * dnsServerSuite.run('bind', () => ({ engine: new BindEngine(opts), resolve: (n, t) => dig(port, n, t) }));
 * ```
 */
export const dnsServerSuite = defineConformanceSuite<DnsServerSubject>('dns-servers', (get) => {
  const made: string[] = [];
  const zone = async (extra: (name: string) => DnsRRsetChange[] = () => []) => {
    const { engine } = await get();
    const name = `conf-${randomBytes(5).toString('hex')}.test`;
    made.push(name);
    // Nameservers outside the zone: BIND refuses an in-zone NS without an address record.
    await engine.createZone({
      name,
      nameservers: ['ns1.velopanel.test', 'ns2.velopanel.test'],
      hostmaster: `hostmaster.${name}`,
      rrsets: extra(name),
    });
    return name;
  };
  afterAll(async () => {
    const { engine } = await get();
    for (const name of made) await engine.deleteZone(name);
  });

  it('reports itself available with a version', async () => {
    const { engine } = await get();
    expect(engine.id).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    expect(engine.label.length).toBeGreaterThan(0);
    const s = await engine.status();
    expect(s.available, s.reason).toBe(true);
  });

  it('creates a zone with SOA, NS and initial records, lists it and serves it', async () => {
    const { engine, resolve } = await get();
    const name = await zone((n) => [{ name: `www.${n}`, type: 'A', ttl: 300, records: ['192.0.2.10', '192.0.2.11'] }]);
    expect(await engine.listZones()).toContain(name);
    const sets = await engine.records(name);
    expect(sets?.find((r) => r.type === 'SOA')?.records[0]).toMatch(
      new RegExp(`^ns1\\.velopanel\\.test\\. hostmaster\\.${name}\\. \\d+ `),
    );
    expect(sets?.find((r) => r.type === 'NS')?.records).toEqual(['ns1.velopanel.test.', 'ns2.velopanel.test.']);
    expect(sets?.find((r) => r.name === `www.${name}` && r.type === 'A')).toMatchObject({
      ttl: 300,
      records: ['192.0.2.10', '192.0.2.11'],
    });
    expect(await resolve(`www.${name}`, 'A')).toEqual(['192.0.2.10', '192.0.2.11']);
  });

  it('replaces and deletes RRsets of every managed type, bumping the serial', async () => {
    const { engine, resolve } = await get();
    const name = await zone();
    const serial = async () =>
      Number((await engine.records(name))!.find((r) => r.type === 'SOA')!.records[0]!.split(' ')[2]);
    const before = await serial();
    await engine.replaceRRsets(name, [
      { name, type: 'MX', ttl: 3600, records: [`10 mail.${name}.`] },
      { name, type: 'TXT', ttl: 3600, records: ['"v=spf1 a mx ~all"', `"${'a'.repeat(255)}" "tail"`] },
      { name, type: 'CAA', ttl: 3600, records: ['0 issue "letsencrypt.org"'] },
      { name: `_sip._tcp.${name}`, type: 'SRV', ttl: 3600, records: [`10 5 5060 sip.${name}.`] },
      { name: `alias.${name}`, type: 'CNAME', ttl: 3600, records: [`www.${name}.`] },
      { name: `v6.${name}`, type: 'AAAA', ttl: 3600, records: ['2001:db8::1'] },
      { name: `sub.${name}`, type: 'NS', ttl: 3600, records: ['ns.elsewhere.test.'] },
    ]);
    expect(await serial()).toBeGreaterThan(before);
    expect(await resolve(name, 'MX')).toEqual([`10 mail.${name}.`]);
    expect(await resolve(`v6.${name}`, 'AAAA')).toEqual(['2001:db8::1']);
    expect(await resolve(`_sip._tcp.${name}`, 'SRV')).toEqual([`10 5 5060 sip.${name}.`]);
    const txt = (await engine.records(name))!.find((r) => r.type === 'TXT')!.records;
    expect(txt).toEqual([`"${'a'.repeat(255)}" "tail"`, '"v=spf1 a mx ~all"']);
    await engine.replaceRRsets(name, [
      { name, type: 'MX', ttl: 3600, records: [] },
      { name: `gone.${name}`, type: 'A', ttl: 60, records: [] },
    ]);
    expect(await resolve(name, 'MX')).toEqual([]);
    expect((await engine.records(name))!.some((r) => r.type === 'MX')).toBe(false);
  });

  it('applies a batch all or nothing: one refused change leaves the zone as it was', async () => {
    const { engine, resolve } = await get();
    const name = await zone();
    await engine.replaceRRsets(name, [{ name: `a.${name}`, type: 'A', ttl: 60, records: ['192.0.2.1'] }]);
    const before = await engine.records(name);
    const code = await codeOf(
      engine.replaceRRsets(name, [
        { name: `a.${name}`, type: 'A', ttl: 60, records: ['192.0.2.99'] },
        { name: 'outside.other-zone.test', type: 'A', ttl: 60, records: ['192.0.2.2'] },
      ]),
    );
    expect(code).not.toBeNull();
    expect(await engine.records(name)).toEqual(before);
    expect(await resolve(`a.${name}`, 'A')).toEqual(['192.0.2.1']);
  });

  it('refuses a second zone of the same name, reads a missing zone as null, deletes idempotently', async () => {
    const { engine, resolve } = await get();
    const name = await zone();
    expect(
      await codeOf(
        engine.createZone({ name, nameservers: ['ns1.velopanel.test'], hostmaster: `hostmaster.${name}`, rrsets: [] }),
      ),
    ).toBe('CONFLICT');
    await engine.deleteZone(name);
    await engine.deleteZone(name);
    expect(await engine.records(name)).toBeNull();
    expect(await engine.listZones()).not.toContain(name);
    expect(await resolve(name, 'SOA')).toEqual([]);
  });
});
