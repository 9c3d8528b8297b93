// `velopanel dns …` as a child process against a panel on the bed's PowerDNS: zones, a record
// table, set from an argument and from standard input, delete with --yes, status, exit codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServices } from '../bed/index.js';
import { dig } from '../bed/helpers/pdns.js';
import { startDnsPanel, type DnsPanel } from '../dns/stack.js';
import { buildOnce, tempHome, velopanel } from './cli.js';

const bed = useServices('pdns');
const tag = process.pid.toString(36);
const zone = `cli${tag}.test`;

describe.skipIf(bed.skip)('velopanel dns', () => {
  let s: DnsPanel;
  const home = tempHome();
  const as = (role: 'admin' | 'user' | 'reseller', args: string[], input?: string) =>
    velopanel(['--url', s.h.panel.url, '--token', s.h.panel.tokens[role], ...args], { home, input });
  beforeAll(async () => {
    buildOnce();
    s = await startDnsPanel(bed.pdns);
    await s.account(zone);
  }, 300_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('lists zones and shows a zone as a record table', async () => {
    const zones = await as('user', ['dns', 'zones']);
    expect(zones.code).toBe(0);
    expect(zones.stdout).toMatch(
      new RegExp(`^ZONE\\s+ACCOUNT\\s+CREATED\\n${zone.replace('.', '\\.')}\\s+1\\s+\\d{4}-`),
    );
    const show = await as('user', ['dns', 'show', zone]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^NAME\s+TYPE\s+TTL\s+CONTENT\n/);
    expect(show.stdout).toMatch(/\n@\s+TXT\s+3600\s+"v=spf1 a mx ~all"\n/);
    expect(show.stdout).toMatch(/\nwww\s+A\s+3600\s+192\.0\.2\.1\n/);
  });

  it('sets an RRset from an argument and from standard input, and deletes it with --yes', async () => {
    const one = await as('user', ['dns', 'set', zone, 'api', 'a', '198.51.100.4', '--ttl', '300']);
    expect(one).toMatchObject({ code: 0, stderr: '' });
    expect(one.stdout).toMatch(/^Set A api in .*:\nNAME\s+TYPE\s+TTL\s+CONTENT\napi\s+A\s+300\s+198\.51\.100\.4\n$/);
    expect(await dig(bed.pdns, `api.${zone}`, 'A')).toEqual(['198.51.100.4']);
    const many = await as('user', ['dns', 'set', zone, '@', 'MX', '-'], '10 mx1.example.net\n20 mx2.example.net\n');
    expect(many.code).toBe(0);
    expect(await dig(bed.pdns, zone, 'MX')).toEqual(['10 mx1.example.net.', '20 mx2.example.net.']);
    expect((await as('user', ['dns', 'delete', zone, 'api', 'A'])).code).toBe(2);
    expect((await as('user', ['dns', 'delete', zone, 'api', 'A', '--yes'])).code).toBe(0);
    expect(await dig(bed.pdns, `api.${zone}`, 'A')).toEqual([]);
  });

  it('exits non-zero with the API error for bad records and foreign zones', async () => {
    const bad = await as('user', ['dns', 'set', zone, 'x', 'A', '999.0.0.1']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('records[0]: 999.0.0.1 is not an IPv4 address');
    const missing = await as('admin', ['dns', 'show', 'nothere.test']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('No DNS zone nothere.test in the panel');
  });

  it('shows the server and the reconciliation to an admin, JSON on request', async () => {
    const st = await as('admin', ['dns', 'status', '--reconcile']);
    expect(st.code).toBe(0);
    expect(st.stdout).toMatch(/engine:\s+powerdns/);
    expect(st.stdout).toMatch(/server:\s+PowerDNS Authoritative 4\./);
    expect(st.stdout).toMatch(/reconciliation:\s+done/);
    const json = JSON.parse((await as('admin', ['--json', 'dns', 'zones'])).stdout);
    expect(json).toEqual([expect.objectContaining({ zone, account_id: 1 })]);
  });
});
