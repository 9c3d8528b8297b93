// [plugins.dns] resolution: defaults under the server's host name, and the API key kept out of
// the config file only when no one else can read it.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import type { PanelSettings } from '../../sdk/index.js';
import { DnsConfig, dnsSettings } from './config.js';

const panel = { serverHostname: 'panel.host.test', mode: 'local', dataDir: '/srv/vp' } as PanelSettings;
const config = (over: Record<string, unknown> = {}) =>
  ({ ...(Value.Default(DnsConfig, {}) as DnsConfig), ...over }) as DnsConfig;

describe('dns settings', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-dns-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults the nameservers under the host name and the hostmaster under the zone', () => {
    const s = dnsSettings(config(), panel);
    expect(s.nameservers).toEqual(['ns1.panel.host.test', 'ns2.panel.host.test']);
    expect(s.hostmaster('example.com')).toBe('hostmaster.example.com');
    expect(s.recordLimits).toEqual({ free: 200, pro: 2000, business: 10_000 });
    expect(dnsSettings(config(), { ...panel, mode: 'local', dataDir: '/srv/vp' }).bind).toEqual({
      zoneDir: '/srv/vp/bind-zones',
      rndc: ['rndc'],
    });
    expect(dnsSettings(config({ bind_rndc_conf: '/etc/bind/rndc.conf' }), { ...panel, mode: 'linux' }).bind).toEqual({
      zoneDir: '/var/lib/velopanel/bind-zones',
      rndc: ['rndc', '-c', '/etc/bind/rndc.conf'],
    });
    expect(dnsSettings(config({ nameservers: ['NS1.Example.NET.'] }), panel).nameservers).toEqual(['ns1.example.net']);
  });

  it('refuses bad nameservers and addresses, naming the key', () => {
    expect(() => dnsSettings(config({ nameservers: ['not a host'] }), panel)).toThrow(/^plugins\.dns\.nameservers: /);
    expect(() => dnsSettings(config({ server_ipv4: '2001:db8::1' }), panel)).toThrow(/^plugins\.dns\.server_ipv4: /);
    expect(() => dnsSettings(config({ server_ipv6: '192.0.2.1' }), panel)).toThrow(/^plugins\.dns\.server_ipv6: /);
  });

  it('reads the API key from a 0600 file, refuses one others can read, and never both sources', () => {
    const file = path.join(dir, 'pdns.key');
    writeFileSync(file, 'secret-key\nignored\n', { mode: 0o600 });
    expect(dnsSettings(config({ powerdns_api_key_file: file }), panel).powerdns.apiKey).toBe('secret-key');
    chmodSync(file, 0o640);
    expect(() => dnsSettings(config({ powerdns_api_key_file: file }), panel)).toThrow(
      /must not be readable by group or others/,
    );
    expect(() => dnsSettings(config({ powerdns_api_key_file: file, powerdns_api_key: 'x' }), panel)).toThrow(
      /either powerdns_api_key or powerdns_api_key_file/,
    );
    expect(() => dnsSettings(config({ powerdns_api_key_file: path.join(dir, 'missing') }), panel)).toThrow(
      /cannot be read/,
    );
  });
});
