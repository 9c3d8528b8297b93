import { errors } from '../../sdk/index.js';

// The script sshd's PAM stack runs (pam_exec, as root) when an SSH or SFTP session opens. sshd
// opens the PAM session in its per-connection root process ("sshd: user [priv]") before it forks
// the process that runs as the user, so moving that process (the script's parent) into the
// account's groups puts the shell or internal-sftp there from its first instruction.
//
// What it trusts: the user name pam_exec sets (PAM_USER, the authenticated user) and nothing else
// of the environment. pam_exec appends its PAM_* variables after the PAM environment, so the last
// PAM_USER and PAM_TYPE in /proc/$$/environ are its own even if a module earlier in the stack let
// a user add variables of the same name. The name chooses no path of its own: only a name the
// panel could have made (lower-case letters and digits) is looked up, and only in the panel's
// group directories, where a group exists only for an account the panel made it for.
//
// Failure: a user without a group there (not a panel account, or no limits here) passes
// untouched; a panel account whose group exists but cannot be entered is refused the session
// (exit 1 under `session required`): its plan's limits are a promise to the other tenants of the
// host, which a session outside them (a fork bomb before the sweep) would break.

/** Directories the script may write into: absolute, no characters the shell would read. */
const SAFE_DIR = /^(\/[A-Za-z0-9._+@=,~-]+)+$/;

/** The script for these group directories (one per hierarchy; the first decides whether the account has groups). */
export function renderSessionHelper(parents: string[]): string {
  if (!parents.length) throw errors.internal('no control-group directories to place SSH sessions in');
  for (const d of parents)
    if (!SAFE_DIR.test(d)) throw errors.internal(`refusing to write ${JSON.stringify(d)} into the SSH session helper`);
  return `#!/bin/sh
# Managed by VeloPanel (access plugin): rewritten at every start, changes here are lost.
# Run by pam_exec from sshd's PAM session stack: moves sshd's per-connection process (this
# script's parent) into the control groups of the panel account that logged in, before sshd
# forks the user's shell or internal-sftp. Other users pass untouched.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
last() { tr '\\000' '\\n' < /proc/$$/environ | sed -n "s/^$1=//p" | tail -n 1; }
[ "$(last PAM_TYPE)" = open_session ] || exit 0
user=$(last PAM_USER)
case $user in ''|[!a-z]*|*[!a-z0-9]*) exit 0 ;; esac
[ -d "${parents[0]}/$user" ] || exit 0
for dir in ${parents.join(' ')}; do
  if ! echo "$PPID" > "$dir/$user/cgroup.procs"; then
    echo "velopanel: SSH session of $user refused: it cannot enter $dir/$user" >&2
    exit 1
  fi
done
exit 0
`;
}

/** pam_exec's environment for a user that can have no group (longer than a panel user name): the check that the script runs. */
export const CHECK_ENV = { PAM_TYPE: 'open_session', PAM_USER: 'velopanelsessioncheck', PAM_SERVICE: 'sshd' };
