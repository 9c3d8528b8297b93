import { describe, expect, it } from 'vitest';
import type { PanelSettings } from '../../sdk/index.js';
import { compileValidator } from '../../sdk/index.js';
import { LETS_ENCRYPT, SslConfig, sslSettings } from './config.js';

const parse = (c: Record<string, unknown>) => compileValidator<SslConfig>(SslConfig, { where: 'plugins.ssl' }).parse(c);
const settings = (over: Partial<PanelSettings> = {}) =>
  ({ mode: 'local', dataDir: '/var/lib/vp', serverHostname: 'Panel.Example.com', ...over }) as PanelSettings;

describe('ssl settings', () => {
  it("uses Let's Encrypt production, staging with acme_staging, or the configured directory", () => {
    expect(sslSettings(parse({}), settings()).directoryUrl).toBe(LETS_ENCRYPT.production);
    expect(sslSettings(parse({ acme_staging: true }), settings()).directoryUrl).toBe(LETS_ENCRYPT.staging);
    expect(
      sslSettings(parse({ directory_url: 'https://127.0.0.1:14000/dir', acme_staging: true }), settings()).directoryUrl,
    ).toBe('https://127.0.0.1:14000/dir');
  });

  it('stores certificates under /etc/veloserve/ssl in linux mode and the data dir in local mode; the account key in the data dir', () => {
    const local = sslSettings(parse({ acme_email: ' ops@example.com ' }), settings());
    expect(local).toMatchObject({
      storeDir: '/var/lib/vp/ssl',
      stateDir: '/var/lib/vp/acme',
      email: 'ops@example.com',
      serverHostname: 'panel.example.com',
      renewTime: '03:30',
    });
    expect(sslSettings(parse({}), settings({ mode: 'linux' }))).toMatchObject({
      storeDir: '/etc/veloserve/ssl',
      stateDir: '/var/lib/vp/acme',
    });
  });

  it('refuses unsafe or malformed values naming the key', () => {
    expect(() => parse({ directory_url: 'http://ca.test/dir' })).toThrow(/^directory_url: must be an https:\/\/ URL/);
    expect(() => parse({ ca_file: 'relative.pem' })).toThrow(/^ca_file: /);
    expect(() => parse({ renew_time: '25:00' })).toThrow(/^renew_time: must be a time HH:MM/);
    expect(() => parse({ panel_certificate: 'yes' })).toThrow(/^panel_certificate: must be "off" or "acme"/);
  });
});
