import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { Logger } from '../../sdk/logger.js';

/**
 * The certificate and key the panel's own listener serves. A pair is checked (parseable, key
 * matching) before it replaces the current one; a running HTTPS server switches to it for new
 * connections through `setSecureContext`, so renewal needs no restart.
 */
export class ListenerCertificate {
  private pair: { cert: string; key: string } | null = null;
  private server: HttpsServer | null = null;
  private watching: string[] = [];

  constructor(private readonly logger: Logger) {}

  get active(): boolean {
    return this.pair !== null;
  }

  /** The current pair, for creating the HTTPS server. */
  options(): { cert: string; key: string } {
    if (!this.pair) throw new Error('no certificate configured');
    return { ...this.pair };
  }

  /** Install a PEM pair (certificate chain + private key); throws when unusable, keeping the old one. */
  set(cert: string, key: string): void {
    createSecureContext({ cert, key });
    this.pair = { cert, key };
    this.server?.setSecureContext({ cert, key });
  }

  /** Load the pair from files; the error names the config keys. */
  load(certPath: string, keyPath: string): void {
    try {
      this.set(readFileSync(certPath, 'utf8'), readFileSync(keyPath, 'utf8'));
    } catch (e) {
      throw new Error(`tls_cert_path/tls_key_path: cannot use ${certPath} and ${keyPath}: ${(e as Error).message}`);
    }
  }

  /** Reload the files whenever either changes (an external renewer replaced them). */
  watch(certPath: string, keyPath: string, intervalMs = 5000): void {
    const reload = () => {
      try {
        this.load(certPath, keyPath);
        this.logger.info('listener certificate reloaded', { cert: certPath });
      } catch (e) {
        this.logger.error('listener certificate not reloaded; the previous one stays in use', {
          error: (e as Error).message,
        });
      }
    };
    for (const file of [certPath, keyPath]) {
      watchFile(file, { interval: intervalMs, persistent: false }, (cur, prev) => {
        if (cur.mtimeMs !== prev.mtimeMs || cur.ino !== prev.ino) reload();
      });
      this.watching.push(file);
    }
  }

  attach(server: HttpsServer | null): void {
    this.server = server;
  }

  close(): void {
    for (const file of this.watching.splice(0)) unwatchFile(file);
    this.server = null;
  }
}
