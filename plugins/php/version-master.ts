import { realpathSync } from 'node:fs';
import type { FpmMaster } from './master.js';
import { forVersion, type PhpSettings } from './settings.js';
import type { PhpVersion } from './versions.js';

function realpathOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** The php-fpm master that serves a version under these settings, or null when it has no php-fpm. */
export function versionMaster(s: PhpSettings, v: PhpVersion): FpmMaster | null {
  const { managed } = s;
  // The panel's own master serves its binary's version only (versions list real paths).
  if (managed && (!managed.binary || !v.binaries.fpm || realpathOrSelf(managed.binary) !== v.binaries.fpm)) return null;
  const binary = managed ? v.binaries.fpm : s.fpmBinary ? forVersion(s.fpmBinary, v.version) : v.binaries.fpm;
  if (!binary) return null;
  const f = (p: string) => forVersion(p, v.version);
  return {
    version: v.version,
    binary,
    config: f(s.fpmConfig),
    prefix: f(s.fpmPrefix),
    poolDir: f(s.poolDir),
    pidFile: f(s.pidFile),
    reloadCommand: s.reloadCommand,
    waitMs: s.reloadWaitMs,
    // it runs as the panel's user; as root that takes php-fpm's -R, in its tests too
    allowRoot: Boolean(managed) && process.getuid?.() === 0,
  };
}
