import {
  accountCgroups,
  accountDirectory,
  errors,
  SerialQueue,
  settingsPlan,
  type AccountInfo,
  type PluginContext,
} from '../../sdk/index.js';
import { passwdShell, setLoginShell } from './login-shell.js';
import type { AccessConfig, ShellKind } from './config.js';
import { Crontabs, parseCommand, parseEmail, renderCrontab } from './crontab.js';
import { identity, setHomeOwner, writeAuthorizedKeys } from './home-files.js';
import { authorizedKeys, parsePublicKey } from './keys.js';
import { PamSession } from './pam-session.js';
import { parseSchedule } from './schedule.js';
import { renderMatchFile, SshdMatch } from './sshd.js';
import type { AccessStore } from './store.js';

/**
 * SSH keys, shells and cron jobs of accounts: rows in the database, and in linux mode the files
 * made from them (authorized_keys, the account's crontab, sshd's managed Match file). Every
 * change to the system runs through {@link AccessService.exclusive}, one at a time.
 */
export class AccessService {
  readonly linux: boolean;
  readonly crontabs: Crontabs;
  readonly sshd: SshdMatch;
  readonly pam: PamSession;
  private readonly queue = new SerialQueue();

  constructor(
    readonly ctx: PluginContext<AccessConfig>,
    readonly cfg: AccessConfig,
    readonly store: AccessStore,
  ) {
    this.linux = ctx.settings.mode === 'linux';
    this.crontabs = new Crontabs(ctx.exec);
    this.sshd = new SshdMatch(cfg, ctx.exec, ctx.logger);
    this.pam = new PamSession(cfg, ctx.exec, ctx.logger);
  }

  exclusive<R>(fn: () => Promise<R>): Promise<R> {
    return this.queue.run(fn);
  }

  /** Changes need real users: local mode answers 503 and stores nothing (documented in the README). */
  requireLinux(what: string): void {
    if (!this.linux)
      throw errors.unavailable(
        `${what} need the panel in linux mode (real system users, sshd and cron); this panel runs in local mode`,
      );
  }

  async account(id: number): Promise<AccountInfo> {
    const a = await this.ctx.services.get(accountDirectory).get(id);
    if (!a) throw errors.notFound(`Account ${id} not found`);
    return a;
  }

  maxCronJobs(a: AccountInfo): number {
    return a.plan_limits?.max_cron_jobs ?? this.cfg[`${settingsPlan(a.plan)}_max_cron_jobs`];
  }

  /** The shell the account's plan gives: the plan's own `shell`, else the `<plan>_shell` key. */
  planShell(a: AccountInfo): ShellKind {
    return (a.plan_limits?.shell as ShellKind | null | undefined) ?? this.cfg[`${settingsPlan(a.plan)}_shell`];
  }

  /** The account's shell: the admin's choice, else its plan's. */
  async shell(a: AccountInfo): Promise<{ shell: ShellKind; source: 'admin' | 'plan' }> {
    const own = await this.store.shell(a.id);
    return own ? { shell: own, source: 'admin' } : { shell: this.planShell(a), source: 'plan' };
  }

  /** Write authorized_keys from the rows (each parsed again: rows may come from a restore). */
  async syncKeys(a: AccountInfo): Promise<void> {
    const keys = (await this.store.listKeys(a.id)).map((k) => parsePublicKey(k.public_key, k.comment));
    await writeAuthorizedKeys(this.ctx.exec, a, this.cfg.min_uid, authorizedKeys(keys));
  }

  /** Install the crontab from the rows; none while the account is suspended or has no enabled job. */
  async syncCron(a: AccountInfo): Promise<void> {
    identity(a, this.cfg.min_uid);
    const jobs = (await this.store.listCron(a.id)).map((j) => ({
      ...j,
      schedule: parseSchedule(j.schedule),
      command: parseCommand(j.command),
      email: parseEmail(j.email),
    }));
    if (a.status !== 'active' || a.deleting || !jobs.some((j) => j.enabled)) await this.crontabs.remove(a.username);
    else await this.crontabs.install(a.username, renderCrontab(jobs, await this.cgroupEntry(a)));
  }

  /** The cgroup files the account's cron jobs enter first ([] where they cannot: the sweep moves them). */
  private async cgroupEntry(a: AccountInfo): Promise<string[]> {
    const groups = this.ctx.services.find(accountCgroups);
    return groups
      ? groups.selfEntry(a.id).catch((e: Error) => {
          this.ctx.logger.warn('access: cron jobs will wait for the cgroup sweep', {
            account: a.username,
            error: e.message,
          });
          return [];
        })
      : [];
  }

  /**
   * sshd's Match file first, then login shell and home owner: a failing sshd changes nothing, and
   * a failure after it leaves sshd stricter than the rest (a chroot into a home that is not yet
   * root's is refused), never an sftp-only account with SFTP outside its home.
   */
  async syncShell(a: AccountInfo): Promise<void> {
    const { shell } = await this.shell(a);
    identity(a, this.cfg.min_uid);
    // .ssh is made (as the account) while the home is still the account's: once it is root's, it cannot.
    if (shell === 'sftp-only') await this.syncKeys(a);
    await this.syncSshd();
    await this.applyShell(a, shell);
  }

  /**
   * Login shell and home owner of the kind. `full` only undoes what the other kinds did (a
   * nologin shell, a root-owned home): the accounts plugin's own shell and modes stay as they are.
   */
  async applyShell(a: AccountInfo, shell: ShellKind): Promise<void> {
    const current = passwdShell(a.username);
    const login =
      shell !== 'full' ? this.cfg.nologin_shell : current === this.cfg.nologin_shell ? this.cfg.full_shell : current;
    if (login && current !== login) await setLoginShell(this.ctx.exec, a.username, login);
    setHomeOwner(a, this.cfg.min_uid, shell === 'sftp-only');
  }

  /** sshd's PAM session line: SSH sessions of accounts start in their control groups where there are any. */
  async syncPam(): Promise<void> {
    const parents = this.ctx.services.find(accountCgroups)?.parents() ?? [];
    await this.pam
      .sync(parents)
      .catch((e: Error) => this.ctx.logger.warn('access: PAM session line not reconciled', { error: e.message }));
  }

  /** sshd's Match file from every account: sftp-only ones chrooted, nologin and suspended ones refused. */
  async syncSshd(): Promise<void> {
    const sftp: string[] = [];
    const denied: string[] = [];
    for (const a of await this.ctx.services.get(accountDirectory).list()) {
      if (a.deleting) continue;
      const { shell } = await this.shell(a);
      if (a.status !== 'active' || shell === 'nologin') denied.push(a.username);
      else if (shell === 'sftp-only') sftp.push(a.username);
    }
    const text = renderMatchFile({ sftp, denied }, this.cfg.nologin_shell);
    // Nothing to restrict and no file yet: a panel without the Include keeps working.
    if (!sftp.length && !denied.length && !this.sshd.current()) return;
    await this.sshd.apply(text);
  }
}
