import { Type, type Static } from '../../sdk/index.js';

const ABS = { pattern: '^(/[A-Za-z0-9._+@=,~-]+)+$', 'x-error': 'must be an absolute path' };
const Shell = (d: string) =>
  Type.Union([Type.Literal('nologin'), Type.Literal('sftp-only'), Type.Literal('full')], {
    default: d,
    'x-error': 'must be nologin, sftp-only or full',
  });
const Jobs = (d: number) => Type.Integer({ default: d, minimum: 0, maximum: 1000 });

/** `[plugins.access]`: SSH keys, shells (sshd's managed Match file) and cron jobs of accounts. */
export const AccessConfig = Type.Object({
  sshd_binary: Type.String({ default: '/usr/sbin/sshd', ...ABS }),
  /** The main sshd configuration; it must `Include` {@link match_file} as its last line. */
  sshd_config: Type.String({ default: '/etc/ssh/sshd_config', ...ABS }),
  /** The panel's Match blocks (sftp-only chroots, accounts without SSH), tested with `sshd -t` before it is replaced. */
  match_file: Type.String({ default: '/etc/ssh/velopanel-accounts.conf', ...ABS }),
  /** sshd's pid file: a changed match file is loaded with SIGHUP to it (unless a reload command is set). */
  sshd_pid_file: Type.String({ default: '/run/sshd.pid', ...ABS }),
  /** argv of a reload command used instead of SIGHUP (e.g. systemctl reload ssh). */
  sshd_reload_command: Type.Array(Type.String({ minLength: 1, pattern: '^[^\\x00-\\x1f]+$' }), {
    default: [],
    maxItems: 16,
  }),
  /**
   * sshd's PAM stack: the panel adds one `session` line to it that runs {@link session_helper}
   * (pam_exec), so an account's SSH/SFTP session starts inside its control groups. Needs `UsePAM yes`.
   */
  pam_file: Type.String({ default: '/etc/pam.d/sshd', ...ABS }),
  /** The root-owned script that line runs (written by the panel; its directories must be root's alone). */
  session_helper: Type.String({ default: '/usr/local/lib/velopanel/ssh-session-cgroup', ...ABS }),
  /** false: no PAM line (removed if the panel wrote one); SSH sessions then wait for the accounts plugin's sweep. */
  session_cgroups: Type.Boolean({ default: true }),
  /** Login shell of `full` accounts, and of every other kind (they never run it). */
  full_shell: Type.String({ default: '/bin/bash', ...ABS }),
  nologin_shell: Type.String({ default: '/usr/sbin/nologin', ...ABS }),
  /** Shell an account of the plan gets unless an admin sets another. */
  free_shell: Shell('full'),
  pro_shell: Shell('full'),
  business_shell: Shell('full'),
  /** Most cron jobs (enabled or not) an account of the plan may have. */
  free_max_cron_jobs: Jobs(5),
  pro_max_cron_jobs: Jobs(25),
  business_max_cron_jobs: Jobs(100),
  /** Most SSH keys per account. */
  max_ssh_keys: Type.Integer({ default: 20, minimum: 1, maximum: 500 }),
  /** Keys and crontabs are never written for a uid below this (no root or system user, whatever a row says). */
  min_uid: Type.Integer({ default: 1000, minimum: 1, maximum: 2_000_000_000 }),
});
export type AccessConfig = Static<typeof AccessConfig>;

/** The three kinds of shell access. */
export type ShellKind = 'nologin' | 'sftp-only' | 'full';
