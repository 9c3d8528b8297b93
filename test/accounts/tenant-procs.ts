// Processes a tenant keeps running where userdel does not look: perl started by root, which
// enters its working directory, chroots into an empty folder (userdel skips processes in another
// root) and drops to the account's uid/gid for good (real, effective and saved) before it runs
// `body`. The working directory stays outside the chroot, so relative paths still reach the home.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PRELUDE = `
use strict; use POSIX (); use Time::HiRes qw(stat);
my ($root, $dir, $uid, $gid, @args) = @ARGV;
chdir $dir or die "chdir $dir: $!";
chroot $root or die "chroot: $!";
$) = "$gid $gid"; POSIX::setgid($gid) or die "setgid: $!"; POSIX::setuid($uid) or die "setuid: $!";
die "still root\\n" if $< == 0 || $> == 0;
$| = 1;
`;

/** Wait for `d` under the working directory to change (a deletion began in it), then swap it for a link to $args[0]. */
export const SWAP_WHEN_DELETING = `
my $before = (stat 'd')[9];
print "ready\\n";
while (1) { my $m = (stat 'd')[9]; last if !defined $m || $m != $before; }
rename 'd', 'd.moved' or die "rename: $!";
symlink $args[0], 'd' or die "symlink: $!";
sleep 600;
`;

/** Just stay alive. */
export const SLEEP = 'print "ready\\n"; sleep 600;';

export interface TenantProcess {
  child: ChildProcess;
  /** Resolves once the process says it is ready (as the account, in its chroot). */
  ready: Promise<void>;
  /** Resolves when the process has exited, with its signal. */
  exited: Promise<NodeJS.Signals | null>;
  /** Whether the process still runs (per /proc: a zombie waiting for its parent runs nothing). */
  running(): boolean;
  stop(): Promise<void>;
}

export function tenantProcess(
  body: string,
  dir: string,
  ids: { uid: number; gid: number },
  args: string[] = [],
): TenantProcess {
  const root = mkdtempSync(path.join(os.tmpdir(), 'vp-chroot-'));
  const child = spawn('perl', ['-e', PRELUDE + body, root, dir, String(ids.uid), String(ids.gid), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  let running = true;
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => {
      running = false;
      rmSync(root, { recursive: true, force: true });
      resolve(signal);
    }),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    void exited.then(() => reject(new Error(`tenant process exited before it was ready: ${stderr}`)));
  });
  return {
    child,
    ready,
    exited,
    running: () => {
      try {
        return running && !/^State:\s+Z/m.test(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      } catch {
        return false;
      }
    },
    async stop() {
      if (running) child.kill('SIGKILL');
      await exited;
    },
  };
}
