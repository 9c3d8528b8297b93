import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  commandOutput,
  errors,
  isPanelError,
  KeyedLock,
  type DnsRecordSet,
  type DnsRRsetChange,
  type DnsServerEngine,
  type DnsServerStatus,
  type DnsZoneCreate,
  type ExecService,
  unavailableStatus,
} from '../../../sdk/index.js';

/** Where BIND's zone files go and how to reach `named` (`[plugins.dns] bind_*`). */
export interface BindOptions {
  /** Directory of the panel's zone files (`<zone>.zone`), readable by named. */
  zoneDir: string;
  /** The rndc command and its first arguments, e.g. `['rndc', '-c', '/etc/bind/rndc.conf']`. */
  rndc: string[];
  exec: ExecService;
}

const LINE = /^(\S+)\s+(\d+)\s+IN\s+(\S+)\s+(.*)$/;
const SOA_TIMERS = '10800 3600 604800 3600';

/**
 * BIND 9 through zone files and `rndc`: each zone the panel makes is a file it owns
 * (`<zoneDir>/<zone>.zone`, one record a line), added with `rndc addzone` (named needs
 * `allow-new-zones yes;` and `check-integrity no;`). A change is applied to a copy, checked with
 * `named-checkzone`, renamed over the zone (all or nothing) and reloaded; the promise resolves
 * once named serves the new serial.
 */
export class BindEngine implements DnsServerEngine {
  readonly id = 'bind';
  readonly label = 'BIND 9 (zone files and rndc)';
  private readonly locks = new KeyedLock();

  constructor(private readonly o: BindOptions) {}

  private file(zone: string): string {
    return path.join(this.o.zoneDir, `${zone}.zone`);
  }

  private rndc(...args: string[]) {
    const [cmd, ...base] = this.o.rndc;
    return this.o.exec.run(cmd!, [...base, ...args], { timeoutMs: 30_000 }).catch((e: unknown) => {
      // rndc's own words name the server's address and files: matched here, shown to admins only
      const said = commandOutput(e);
      if (/not found|no matching zone/i.test(said))
        throw errors.notFound(`BIND: named has no zone${args[1] ? ` ${args[1]}` : ''}`).withAdminDetail(said);
      throw /connect|connection refused/i.test(said)
        ? errors
            .unavailable(
              'BIND (named) is unreachable through rndc: install the Debian package bind9 and check [plugins.dns] bind_rndc_conf',
            )
            .withAdminDetail(said)
        : e;
    });
  }

  async status(): Promise<DnsServerStatus> {
    try {
      const out = (await this.rndc('status')).stdout;
      return { available: true, version: /^version: (.*)$/m.exec(out)?.[1]?.split(' (')[0] ?? 'BIND 9' };
    } catch (e) {
      return unavailableStatus(e, 'BIND (named) did not answer rndc status');
    }
  }

  async listZones(): Promise<string[]> {
    if (!existsSync(this.o.zoneDir)) return [];
    return readdirSync(this.o.zoneDir)
      .filter((f) => f.endsWith('.zone'))
      .map((f) => f.slice(0, -5))
      .sort();
  }

  async createZone(z: DnsZoneCreate): Promise<void> {
    await this.locks.run(z.name, async () => {
      if (existsSync(this.file(z.name))) throw errors.conflict(`BIND: zone ${z.name} already exists`);
      const sets: DnsRecordSet[] = [
        { name: z.name, type: 'SOA', ttl: 3600, records: [`${z.nameservers[0]}. ${z.hostmaster}. 1 ${SOA_TIMERS}`] },
        { name: z.name, type: 'NS', ttl: 3600, records: z.nameservers.map((n) => `${n}.`) },
        ...z.rrsets.filter((r) => r.records.length),
      ];
      await this.check(z.name, sets, this.file(z.name));
      try {
        await this.rndc('addzone', z.name, `{ type primary; file "${this.file(z.name)}"; };`);
      } catch (e) {
        rmSync(this.file(z.name), { force: true });
        throw e;
      }
    });
  }

  async deleteZone(name: string): Promise<void> {
    await this.locks.run(name, async () => {
      await this.rndc('delzone', name).catch((e: unknown) => {
        if (!(isPanelError(e) && e.code === 'NOT_FOUND')) throw e;
      });
      rmSync(this.file(name), { force: true });
    });
  }

  async records(name: string): Promise<DnsRecordSet[] | null> {
    if (!existsSync(this.file(name))) return null;
    const sets = new Map<string, DnsRecordSet>();
    for (const line of readFileSync(this.file(name), 'utf8').split('\n')) {
      const m = LINE.exec(line);
      if (!m) continue;
      const [, owner, ttl, type, content] = m;
      const key = `${owner} ${type}`;
      const set = sets.get(key) ?? {
        name: owner!.replace(/\.$/, ''),
        type: type as DnsRecordSet['type'],
        ttl: Number(ttl),
        records: [],
      };
      set.records.push(content!);
      sets.set(key, set);
    }
    return [...sets.values()].map((s) => ({ ...s, records: s.records.sort() }));
  }

  async replaceRRsets(zone: string, changes: DnsRRsetChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.locks.run(zone, async () => {
      const current = await this.records(zone);
      if (!current) throw errors.notFound(`BIND: zone ${zone} does not exist`);
      for (const c of changes)
        if (c.name !== zone && !c.name.endsWith(`.${zone}`))
          throw errors.validation(`BIND refused the change: ${c.name} is outside the zone ${zone}`);
      const key = (s: { name: string; type: string }) => `${s.name} ${s.type}`;
      const next = current.filter((s) => !changes.some((c) => key(c) === key(s)));
      next.push(...changes.filter((c) => c.records.length));
      const soa = next.find((s) => s.type === 'SOA')!;
      const parts = soa.records[0]!.split(' ');
      const serial = Number(parts[2]) + 1;
      soa.records = [[parts[0], parts[1], String(serial), ...parts.slice(3)].join(' ')];
      const tmp = `${this.file(zone)}.new`;
      await this.check(zone, next, tmp);
      renameSync(tmp, this.file(zone));
      await this.rndc('reload', zone);
      await this.served(zone, serial);
    });
  }

  async notify(zone: string): Promise<void> {
    await this.rndc('notify', zone);
  }

  /** Write the zone to `file` and let named-checkzone judge it; a refusal leaves nothing behind. */
  private async check(zone: string, sets: DnsRecordSet[], file: string): Promise<void> {
    const lines = sets.flatMap((s) => s.records.map((r) => `${s.name}. ${s.ttl} IN ${s.type} ${r}`));
    writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o644 });
    try {
      await this.o.exec.run('named-checkzone', ['-q', '-i', 'none', '--', zone, file], { timeoutMs: 30_000 });
    } catch (e) {
      rmSync(file, { force: true });
      throw errors.validation('BIND refused the zone').withCause(e);
    }
  }

  /** Bounded wait until named serves `serial` (a reload is queued, not done, when rndc returns). */
  private async served(zone: string, serial: number): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const out = (await this.rndc('zonestatus', zone)).stdout;
      if (Number(/^serial: (\d+)/m.exec(out)?.[1]) >= serial) return;
      await sleep(20);
    }
    throw errors.timeout(`BIND did not load serial ${serial} of ${zone}`);
  }
}
