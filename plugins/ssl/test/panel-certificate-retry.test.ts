// The panel's certificate when the first order fails (the CA or DNS not ready at start): the
// order is tried again with growing waits until one is issued, not left to the daily renewal.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger, PluginContext } from '../../../sdk/index.js';
import type { AcmeIssuer, IssuedCertificate } from '../acme/issuer.js';
import type { SslSettings } from '../config.js';
import { PanelCertificate } from '../panel-certificate.js';
import { selfSignedArgs } from '../self-signed.js';

const host = 'panel-retry.test';
const dir = mkdtempSync(path.join(tmpdir(), 'velopanel-panel-retry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => void vi.useRealTimers());

/** Lets pending promise chains run without moving the faked clock (vi.waitFor would move it). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !check(); i++) await new Promise((r) => setImmediate(r));
}

function pair(name: string): IssuedCertificate {
  const [key, cert] = [path.join(dir, `${name}.key`), path.join(dir, `${name}.pem`)];
  execFileSync('openssl', selfSignedArgs(host, 90, key, cert), { stdio: 'ignore' });
  return { fullchain: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

function setUp(outcomes: (IssuedCertificate | Error)[]) {
  const served: string[] = [];
  const errors: Record<string, unknown>[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (_msg, fields) => void errors.push(fields ?? {}),
    child: () => logger,
  };
  const ctx = {
    logger,
    services: { find: () => undefined },
    setPanelCertificate: (fullchain: string) => void served.push(fullchain),
    exec: { run: async (cmd: string, args: string[]) => void execFileSync(cmd, args, { stdio: 'ignore' }) },
  } as unknown as PluginContext;
  const issuer = {
    issue: vi.fn(async () => {
      const next = outcomes.shift() ?? new Error('no more outcomes');
      if (next instanceof Error) throw next;
      return next;
    }),
  };
  const settings = {
    stateDir: mkdtempSync(path.join(dir, 'state-')),
    panelCertificate: 'acme',
    panelWebroot: mkdtempSync(path.join(dir, 'webroot-')),
    panelRetryMs: 1000,
    renewBeforeDays: 30,
    serverHostname: host,
  } as SslSettings;
  const panel = new PanelCertificate(ctx, settings, issuer as unknown as AcmeIssuer);
  return { panel, issuer, served, errors };
}

describe('the panel certificate after a failed order', () => {
  it('is ordered again after panel_retry_ms, then twice as long, until one is issued', async () => {
    const issued = pair('issued');
    const s = setUp([new Error('CA unreachable'), new Error('CA unreachable'), issued]);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await s.panel.start();
    await until(() => s.errors.length === 1);
    expect(s.issuer.issue).toHaveBeenCalledTimes(1);
    expect(s.errors[0]).toMatchObject({ host, retry_in_s: 1 });
    await vi.advanceTimersByTimeAsync(1000);
    await until(() => s.errors.length === 2);
    expect(s.issuer.issue).toHaveBeenCalledTimes(2);
    expect(s.errors[1]).toMatchObject({ retry_in_s: 2 });
    await vi.advanceTimersByTimeAsync(1999);
    expect(s.issuer.issue).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => s.served.at(-1) === issued.fullchain);
    expect(s.served.at(-1)).toBe(issued.fullchain);
    expect(s.panel.describe().certificate).not.toBeNull();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(s.issuer.issue).toHaveBeenCalledTimes(3);
  });

  it('stops trying when the plugin stops', async () => {
    const s = setUp([new Error('CA unreachable'), pair('late')]);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await s.panel.start();
    await until(() => s.errors.length === 1);
    s.panel.stop();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(s.issuer.issue).toHaveBeenCalledTimes(1);
  });
});
