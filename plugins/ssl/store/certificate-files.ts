import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tightenModes, type ModeFix } from '../../../sdk/index.js';
import { isDomainName } from '../domain-name.js';
import type { CertificateBundle } from '../pem.js';

/** Paths of one stored certificate version. */
export interface CertificatePaths {
  dir: string;
  certificate: string;
  chain: string;
  fullchain: string;
  key: string;
}

const VERSION = /^v\d{14}-[0-9a-f]{8}$/;

/**
 * Certificates on disk: `<root>/<domain>/<version>/{cert,chain,fullchain,privkey}.pem`, the key
 * 0600. Every issue or upload is a new version directory, written under a temp name and renamed
 * whole, so a version is either complete or absent. The vhost points at a version's paths, so a
 * new version changes the rendered vhost and the engine tests and reloads it; the previous
 * version stays on disk until the new one is serving, and is what a rollback returns to.
 */
export class CertificateFiles {
  constructor(readonly root: string) {}

  prepare(): void {
    mkdirSync(this.root, { recursive: true, mode: 0o755 });
  }

  /** Narrow private keys that drifted wider than 0600 (run at start); returns what was fixed. */
  tightenKeys(): ModeFix[] {
    // Real directories only: a symlinked domain or version is never followed to chmod what it points at.
    const list = (dir: string) => {
      try {
        return readdirSync(dir).filter((n) => !n.startsWith('.') && lstatSync(path.join(dir, n)).isDirectory());
      } catch {
        return [];
      }
    };
    const keys = list(this.root).flatMap((d) =>
      isDomainName(d)
        ? list(path.join(this.root, d))
            .filter((v) => VERSION.test(v))
            .map((v) => this.paths(d, v).key)
        : [],
    );
    return tightenModes(keys.map((key) => ({ path: key, mode: 0o600 })));
  }

  paths(domain: string, version: string): CertificatePaths {
    if (!VERSION.test(version) || !isDomainName(domain))
      throw new Error(`invalid certificate location ${domain}/${version}`);
    const dir = path.join(this.root, domain, version);
    return {
      dir,
      certificate: path.join(dir, 'cert.pem'),
      chain: path.join(dir, 'chain.pem'),
      fullchain: path.join(dir, 'fullchain.pem'),
      key: path.join(dir, 'privkey.pem'),
    };
  }

  /** Write a new complete version; returns its name. */
  write(domain: string, bundle: CertificateBundle, now = new Date()): string {
    const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
    const version = `v${stamp}-${randomBytes(4).toString('hex')}`;
    const final = this.paths(domain, version);
    const domainDir = path.dirname(final.dir);
    mkdirSync(domainDir, { recursive: true, mode: 0o755 });
    const tmp = path.join(domainDir, `.tmp-${version}`);
    try {
      mkdirSync(tmp, { mode: 0o755 });
      const file = (name: string) => path.join(tmp, path.basename(name));
      writeFileSync(file(final.key), bundle.key, { mode: 0o600, flag: 'wx' });
      writeFileSync(file(final.certificate), bundle.certificate, { mode: 0o644, flag: 'wx' });
      writeFileSync(file(final.chain), bundle.chain, { mode: 0o644, flag: 'wx' });
      writeFileSync(file(final.fullchain), bundle.certificate + bundle.chain, { mode: 0o644, flag: 'wx' });
      renameSync(tmp, final.dir);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    return version;
  }

  /** The full chain PEM of a version, or null when it is not on disk. */
  read(domain: string, version: string): string | null {
    try {
      return readFileSync(this.paths(domain, version).fullchain, 'utf8');
    } catch {
      return null;
    }
  }

  removeVersion(domain: string, version: string): void {
    rmSync(this.paths(domain, version).dir, { recursive: true, force: true });
  }

  /**
   * Remove every version of a domain except `keep` (and leftovers of interrupted writes). Only
   * entries inside the root go: a domain directory that is a symlink is unlinked, never followed.
   */
  prune(domain: string, keep: string | null): void {
    if (!isDomainName(domain)) throw new Error(`invalid certificate location ${domain}`);
    const domainDir = path.join(this.root, domain);
    let names: string[];
    try {
      if (!lstatSync(domainDir).isDirectory()) {
        if (keep === null) rmSync(domainDir, { force: true });
        return;
      }
      names = readdirSync(domainDir);
    } catch {
      return;
    }
    for (const name of names) if (name !== keep) rmSync(path.join(domainDir, name), { recursive: true, force: true });
    if (keep === null) rmSync(domainDir, { recursive: true, force: true });
  }
}
