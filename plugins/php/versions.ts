import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ExecService } from '../../sdk/index.js';

/** PHP execution modes an account can choose. */
export type PhpMode = 'cgi' | 'fpm' | 'lsapi';

/** One installed PHP version (major.minor) and the binaries found for it. */
export interface PhpVersion {
  version: string;
  /** Full version the binaries report, e.g. 8.2.29. */
  full_version: string;
  binaries: { cli?: string; cgi?: string; fpm?: string };
  modes: PhpMode[];
  default: boolean;
}

const NAME = /^php(-cgi|-fpm)?([0-9]{1,2}(\.?[0-9]{1,2})?)?$/;
const SAPI: Record<string, keyof PhpVersion['binaries']> = { cli: 'cli', 'cgi-fcgi': 'cgi', 'fpm-fcgi': 'fpm' };
const MAX_CANDIDATES = 64;
const uid = process.getuid?.() ?? 0;

/**
 * Whether the panel may execute a file: it and every directory above it owned by root (or the
 * panel's own user) and not writable by group or others. An admin-set search path leading into a
 * tenant's home must not let the tenant plant (or swap in) a `php-cgi` the panel then runs.
 */
function trusted(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    for (let p = file; ; p = path.dirname(p)) {
      const st = statSync(p);
      if ((st.uid !== 0 && st.uid !== uid) || (st.mode & 0o022) !== 0) return false;
      if (p === '/') return true;
    }
  } catch {
    return false;
  }
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Directories to scan: the system ones, each `/opt/<x>/bin`, then the configured extras. */
export function searchDirs(system: string[], extra: string[]): string[] {
  const opt = entries('/opt')
    .map((d) => path.join('/opt', d, 'bin'))
    .filter((d) => {
      try {
        return lstatSync(d).isDirectory();
      } catch {
        return false;
      }
    });
  return [...new Set([...system, ...opt, ...extra])];
}

/** Candidate binaries (real paths, deduplicated: `/usr/bin/php` and `/usr/bin/php8.2` are one). */
export function candidates(dirs: string[]): string[] {
  const found = new Set<string>();
  for (const dir of dirs) {
    for (const name of entries(dir).sort()) {
      if (!NAME.test(name) || found.size >= MAX_CANDIDATES) continue;
      try {
        const real = realpathSync(path.join(dir, name));
        if (trusted(real)) found.add(real);
      } catch {
        /* dangling link */
      }
    }
  }
  return [...found];
}

/** `PHP 8.2.29 (cgi-fcgi) (built: …)` → version and binary kind. */
export function parseVersionBanner(
  output: string,
): { full: string; minor: string; kind: keyof PhpVersion['binaries'] } | null {
  const m = /^PHP ([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{1,3})\S* \((cli|cgi-fcgi|fpm-fcgi)\)/m.exec(output);
  if (!m) return null;
  return { full: `${m[1]}.${m[2]}.${m[3]}`, minor: `${m[1]}.${m[2]}`, kind: SAPI[m[4]!]! };
}

function compare(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am! - bm! || an! - bn!;
}

/** Real path of a system default binary (`/usr/bin/php-cgi` → its alternative), or null. */
function systemDefault(): string | null {
  for (const p of ['/usr/bin/php-cgi', '/usr/bin/php']) {
    try {
      return realpathSync(p);
    } catch {
      /* next */
    }
  }
  return null;
}

/**
 * Ask every candidate binary its version (`-v`, argv only) and group them by major.minor.
 * Modes: `cgi` and `lsapi` need php-cgi (VeloServe's persistent workers run it), `fpm` needs php-fpm.
 */
export async function detectVersions(exec: ExecService, dirs: string[], preferred: string): Promise<PhpVersion[]> {
  const byVersion = new Map<string, PhpVersion>();
  const fallback = systemDefault();
  let systemVersion = '';
  const bins = candidates(dirs);
  const outputs = await Promise.all(
    bins.map((bin) => exec.run(bin, ['-v'], { allowFailure: true, timeoutMs: 5000 }).catch(() => null)),
  );
  for (const [i, bin] of bins.entries()) {
    const r = outputs[i];
    const banner = r && r.code === 0 ? parseVersionBanner(r.stdout) : null;
    if (!banner) continue;
    const v = byVersion.get(banner.minor) ?? {
      version: banner.minor,
      full_version: banner.full,
      binaries: {},
      modes: [],
      default: false,
    };
    v.binaries[banner.kind] ??= bin;
    byVersion.set(banner.minor, v);
    if (bin === fallback) systemVersion = banner.minor;
  }
  const list = [...byVersion.values()].sort((a, b) => compare(a.version, b.version));
  for (const v of list) {
    v.modes = [
      ...(v.binaries.cgi ? ['cgi' as const] : []),
      ...(v.binaries.fpm ? ['fpm' as const] : []),
      ...(v.binaries.cgi ? ['lsapi' as const] : []),
    ];
  }
  const chosen =
    list.find((v) => v.version === preferred) ?? list.find((v) => v.version === systemVersion) ?? list.at(-1);
  if (chosen) chosen.default = true;
  return list;
}
