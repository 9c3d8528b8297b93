import {
  domainDirectory,
  errors,
  SerialQueue,
  tierRequirementLabel,
  type AccountInfo,
  type PluginContext,
} from '../../sdk/index.js';
import { AccountMasters } from './account-masters.js';
import type { PhpSettings } from './settings.js';
import { checkIniCaps, planCaps, type IniCaps } from './ini-caps.js';
import type { FpmMaster } from './master.js';
import { poolNames } from './pool.js';
import { changeAccountPhp, type WantedPhp } from './pool-changes.js';
import type { FpmPools } from './pools.js';
import type { PhpAccountSettings, PhpStore } from './store.js';
import { versionMaster } from './version-master.js';
import { detectVersions, searchDirs, type PhpMode, type PhpVersion } from './versions.js';

/** What an account runs: its own row, or the server default (CGI with the default version). */
export type Effective = Pick<PhpAccountSettings, 'version' | 'mode' | 'ini'> & { explicit: boolean };

const VERSIONS_TTL_MS = 30_000;

/**
 * Per-account PHP: version detection and each version's master, what an account runs and may run,
 * and its changes one at a time (made as one unit by {@link changeAccountPhp}).
 */
export class PhpService {
  private cache: { at: number; list: PhpVersion[] } | null = null;
  private readonly queue = new SerialQueue();
  /** Per-account masters, when `account_masters` is on (linux mode). */
  readonly accountMasters: AccountMasters | null;
  /** Their directories, also when turned off (linux mode): masters left from before are stopped. */
  readonly masterDirs: AccountMasters | null;

  constructor(
    readonly ctx: PluginContext,
    readonly s: PhpSettings,
    readonly store: PhpStore,
    readonly pools: FpmPools,
  ) {
    this.masterDirs = s.mode === 'linux' && !s.managed ? new AccountMasters(ctx, s, pools) : null;
    this.accountMasters = s.accountMasters ? this.masterDirs : null;
  }

  /** Installed versions (cached briefly; `fresh` scans again). */
  async versions(fresh = false): Promise<PhpVersion[]> {
    if (fresh || !this.cache || Date.now() - this.cache.at > VERSIONS_TTL_MS) {
      const list = await detectVersions(
        this.ctx.exec,
        searchDirs(this.s.scanDirs, this.s.extraDirs),
        this.s.defaultVersion,
      );
      this.cache = { at: Date.now(), list };
    }
    return this.cache.list;
  }

  async version(v: string): Promise<PhpVersion | undefined> {
    return (await this.versions()).find((x) => x.version === v);
  }

  /** The php-fpm master of a version, or null when it has no php-fpm. */
  master(v: PhpVersion): FpmMaster | null {
    return versionMaster(this.s, v);
  }

  async masters(): Promise<FpmMaster[]> {
    return (await this.versions()).map((v) => this.master(v)).filter((m): m is FpmMaster => m !== null);
  }

  async effective(accountId: number): Promise<Effective> {
    const row = await this.store.get(accountId);
    if (row) return { version: row.version, mode: row.mode, ini: row.ini, explicit: true };
    const def = (await this.versions()).find((v) => v.default);
    return { version: def?.version ?? '', mode: 'cgi', ini: {}, explicit: false };
  }

  /** The ceilings of the account's plan on the php.ini values it may set. */
  caps(account: AccountInfo): IniCaps {
    return planCaps(this.s.iniCaps, account.plan);
  }

  /** 400 naming the cap when validated settings go above what the account's plan allows. */
  checkCaps(account: AccountInfo, ini: Record<string, string>, where?: string): void {
    checkIniCaps(ini, this.caps(account), account.plan, where);
  }

  /** Socket of the account's pool (whether or not it exists). */
  socket(account: AccountInfo): string {
    return poolNames(account.username, this.s.socketDir).socket;
  }

  /** 403 when the account's plan does not allow this PHP mode (`php_modes` of its plan; absent or null: every mode). */
  checkPlanMode(account: AccountInfo, mode: PhpMode): void {
    const allowed = account.plan_limits?.php_modes;
    if (allowed && !allowed.includes(mode))
      throw errors.forbidden(`mode: the ${account.plan} plan does not allow ${mode} (allowed: ${allowed.join(', ')})`);
  }

  /** 403 for LSAPI unless the licence grants 'php.lsapi'; 400 unless the version is installed and supports the mode. */
  async check(version: string, mode: PhpMode): Promise<PhpVersion> {
    // The feature this plugin declares (Pro and up by default; a licence may grant it on its own)
    if (mode === 'lsapi' && !this.ctx.licence().has('php.lsapi'))
      throw errors.licenseRequired(`LSAPI mode requires ${tierRequirementLabel('pro')}`);
    // the panel's own php-fpm: a 503 naming what to install, rather than "this version has no php-fpm"
    if (mode === 'fpm') await this.s.managed?.usable();
    // a version installed since the last scan is found by scanning again
    let list = await this.versions();
    if (!list.some((x) => x.version === version)) list = await this.versions(true);
    const v = list.find((x) => x.version === version);
    if (!v)
      throw errors.validation(
        `version: PHP ${version} is not installed (installed: ${list.map((x) => x.version).join(', ') || 'none'})`,
        { installed: list.map((x) => x.version) },
      );
    if (!v.modes.includes(mode)) {
      const needs = mode === 'fpm' ? 'php-fpm' : 'php-cgi';
      throw errors.validation(
        `mode: PHP ${version} has no ${needs} binary, so it cannot run in ${mode} mode (its modes: ${v.modes.join(', ') || 'none'})`,
      );
    }
    return v;
  }

  /** Move the account to `next` settings (null: back to the default), all or nothing, one change at a time. */
  transition(account: AccountInfo, next: WantedPhp | null): Promise<void> {
    return this.exclusive(() => changeAccountPhp(this, account, next));
  }

  /** Run `fn` exclusively with every other change of account PHP settings. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }

  /** Re-render the account's vhosts (when a domains plugin is there to do it). */
  async regenerate(accountId: number): Promise<void> {
    const domains = this.ctx.services.find(domainDirectory);
    if (domains?.engine()) await domains.regenerate(accountId);
  }
}
