import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { domainDirectory, errors, type AcmeChallengeTarget, type PluginContext } from '../../sdk/index.js';
import type { AcmeIssuer } from './acme/issuer.js';
import type { SslSettings } from './config.js';
import { isDomainName } from './domain-name.js';
import { isDue } from './certificates.js';
import { certificateFacts, type CertificateFacts } from './pem.js';
import { selfSignedArgs } from './self-signed.js';

/**
 * The panel's own HTTPS certificate for `server_hostname`, from the same ACME client. The pair
 * is kept in the state directory (key 0600) and handed to the kernel, which swaps it into the
 * running :7070 listener. Until the first one is issued a short-lived self-signed pair is served,
 * so the panel never starts on plain HTTP while waiting for the CA.
 */
export class PanelCertificate {
  private readonly dir: string;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly ctx: PluginContext,
    private readonly s: SslSettings,
    private readonly issuer: AcmeIssuer,
  ) {
    this.dir = path.join(s.stateDir, 'panel');
  }

  get enabled(): boolean {
    return this.s.panelCertificate === 'acme';
  }

  /** At plugin start: serve what is stored (or a placeholder), then order in the background when needed. */
  async start(): Promise<void> {
    if (!this.enabled) return;
    const host = this.s.serverHostname;
    if (!isDomainName(host)) {
      this.ctx.logger.error(
        `panel_certificate = "acme" needs server_hostname to be a public domain name, not '${host}': the panel keeps its current listener`,
      );
      return;
    }
    let stored = this.stored();
    try {
      if (stored) this.ctx.setPanelCertificate(stored.fullchain, stored.key);
    } catch (e) {
      this.ctx.logger.error('the stored panel certificate is unusable; ordering a new one', { error: e });
      stored = null;
    }
    if (!stored) {
      await this.placeholder(host).then(
        (pair) => this.ctx.setPanelCertificate(...pair),
        (e) =>
          this.ctx.logger.error(
            'could not make a placeholder certificate; HTTPS starts after a restart once one is issued',
            { error: e },
          ),
      );
    }
    if (!stored || isDue(certificateFacts(stored.fullchain).valid_to, this.s.renewBeforeDays))
      this.orderInBackground(0);
  }

  /** At plugin stop: no further background tries. */
  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  /**
   * Order until one is issued: a CA or DNS that is not ready when the panel starts must not leave
   * the placeholder in place until the daily renewal. Waits double from `panel_retry_ms` up to an
   * hour; a certificate that arrived meanwhile (`POST /api/ssl/panel`) ends the tries.
   */
  private orderInBackground(failures: number): void {
    const attempt = failures === 0 ? this.renew() : this.renewIfDue();
    void attempt.catch((e) => {
      if (this.stopped) return;
      const wait = Math.min(this.s.panelRetryMs * 2 ** Math.min(failures, 20), 3_600_000);
      this.ctx.logger.error('could not obtain the panel certificate', {
        host: this.s.serverHostname,
        retry_in_s: Math.round(wait / 1000),
        error: e,
      });
      this.retry = setTimeout(() => this.orderInBackground(failures + 1), wait);
      this.retry.unref();
    });
  }

  async renewIfDue(): Promise<'renewed' | 'skipped'> {
    const stored = this.enabled ? this.stored() : null;
    if (!this.enabled || (stored && !isDue(certificateFacts(stored.fullchain).valid_to, this.s.renewBeforeDays)))
      return 'skipped';
    await this.renew();
    return 'renewed';
  }

  /** What the API shows: mode, host and the stored certificate's facts. */
  describe(): { mode: 'off' | 'acme'; host: string; certificate: CertificateFacts | null } {
    const stored = this.stored();
    return {
      mode: this.s.panelCertificate,
      host: this.s.serverHostname,
      certificate: stored ? certificateFacts(stored.fullchain) : null,
    };
  }

  /** Order a certificate for `server_hostname`, store it and swap it into the listener. */
  async renew(): Promise<void> {
    if (!this.enabled)
      throw errors.conflict('The panel certificate is not managed here: set [plugins.ssl] panel_certificate = "acme"');
    const host = this.s.serverHostname;
    if (!isDomainName(host))
      throw errors.conflict(`server_hostname '${host}' is not a public domain name a CA can issue for`);
    const target = await this.target(host);
    const issued = await this.issuer.issue([host], () => target);
    this.ctx.setPanelCertificate(issued.fullchain, issued.key);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.replace('privkey.pem', issued.key, 0o600);
    this.replace('fullchain.pem', issued.fullchain, 0o644);
    this.ctx.logger.info('panel certificate installed', {
      host,
      valid_to: certificateFacts(issued.fullchain).valid_to,
    });
  }

  /**
   * The challenge is answered from `panel_webroot`. The host name is no account's (the domains
   * plugin refuses it); a row left from before that rule is refused here rather than letting a
   * tenant's document root answer for the panel's own name.
   */
  private async target(host: string): Promise<AcmeChallengeTarget> {
    const domain = await this.ctx.services.find(domainDirectory)?.byName(host);
    if (domain)
      throw errors.conflict(
        `server_hostname '${host}' is a domain of account ${domain.account_id}; delete that domain so the panel answers its own challenge`,
      );
    mkdirSync(this.s.panelWebroot, { recursive: true, mode: 0o755 });
    return { name: host, domain: host, account: null, webroot: this.s.panelWebroot };
  }

  private stored(): { fullchain: string; key: string } | null {
    try {
      return {
        fullchain: readFileSync(path.join(this.dir, 'fullchain.pem'), 'utf8'),
        key: readFileSync(path.join(this.dir, 'privkey.pem'), 'utf8'),
      };
    } catch {
      return null;
    }
  }

  private replace(name: string, content: string, mode: number): void {
    const tmp = path.join(this.dir, `.${name}.tmp`);
    // A temp file left by a crash would keep its old mode through a plain write: start anew.
    rmSync(tmp, { force: true });
    writeFileSync(tmp, content, { mode, flag: 'wx' });
    renameSync(tmp, path.join(this.dir, name));
  }

  private async placeholder(host: string): Promise<[string, string]> {
    const dir = path.join(this.s.stateDir, `placeholder-${process.pid}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      const [cert, key] = [path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')];
      await this.ctx.exec.run('openssl', selfSignedArgs(host, 7, key, cert), { timeoutMs: 30_000 });
      return [readFileSync(cert, 'utf8'), readFileSync(key, 'utf8')];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
