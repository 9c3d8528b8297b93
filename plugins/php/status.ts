import { connect } from 'node:net';
import { domainDirectory, type AccountInfo, type ServiceRegistry } from '../../sdk/index.js';
import type { PhpMode } from './versions.js';

/** Whether a setting really takes effect for the account's sites, and why not. */
export interface Applicability {
  applied: boolean;
  reason: string | null;
  engine: string | null;
}

/** Whether a unix socket accepts connections (a loaded pool). */
export function socketAnswers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ path: socket });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true))
      .once('error', () => done(false))
      .setTimeout(1000, () => done(false));
  });
}

/**
 * Can the configured web-server engine run this mode for one account's vhosts? VeloServe keeps
 * PHP server-wide (`perHostPhp: false`); nginx has no php-cgi handler; no per-account LSAPI
 * worker exists for an engine that only speaks FastCGI. The answer says so instead of pretending.
 */
export function engineApplicability(services: ServiceRegistry, mode: PhpMode): Applicability {
  const domains = services.find(domainDirectory);
  if (!domains)
    return {
      applied: false,
      engine: null,
      reason:
        'No web server is managed here (the domains plugin is not active), so no site uses this setting; it is saved',
    };
  const engine = domains.engine();
  if (!engine)
    return {
      applied: false,
      engine: null,
      reason: 'The web-server engine is not available, so no site uses this setting yet; it is saved',
    };
  const { id, capabilities: caps } = engine;
  if (!caps.perHostPhp)
    return {
      applied: false,
      engine: id,
      reason: `The ${id} engine runs PHP server-wide (one version and mode for every site), so a per-account version or mode cannot be applied; the setting is saved`,
    };
  if (!caps.phpModes.includes(mode))
    return {
      applied: false,
      engine: id,
      reason: `The ${id} engine cannot run PHP in ${mode} mode for one site (it can: ${caps.phpModes.join(', ')}); the setting is saved but not applied`,
    };
  if (mode === 'lsapi')
    return {
      applied: false,
      engine: id,
      reason: `LSAPI is VeloServe's persistent-worker mode; no per-account LSAPI worker runs behind the ${id} engine, so the setting is saved but not applied`,
    };
  return { applied: true, engine: id, reason: null };
}

/** Applicability of the account's PHP settings, including whether its FPM pool is really serving. */
export async function accountApplicability(
  services: ServiceRegistry,
  account: AccountInfo,
  mode: PhpMode,
  socket: string | null,
): Promise<Applicability> {
  const a = engineApplicability(services, mode);
  if (!a.applied || mode !== 'fpm') return a;
  if (account.status === 'suspended')
    return {
      ...a,
      applied: false,
      reason: 'The account is suspended: its FPM pool is disabled until it is unsuspended',
    };
  if (!socket || !(await socketAnswers(socket)))
    return {
      ...a,
      applied: false,
      reason: 'The FPM pool is written but php-fpm is not serving it (is the php-fpm master running?)',
    };
  return a;
}

/** Applicability of php.ini settings: they reach PHP through the account's FPM pool only. */
export async function iniApplicability(
  services: ServiceRegistry,
  account: AccountInfo,
  mode: PhpMode,
  socket: string | null,
): Promise<Applicability> {
  if (mode !== 'fpm') {
    const engine = services.find(domainDirectory)?.engine()?.id ?? null;
    return {
      applied: false,
      engine,
      reason: `php.ini settings are applied through the account's FPM pool; in ${mode} mode they are saved but not applied`,
    };
  }
  return accountApplicability(services, account, mode, socket);
}
