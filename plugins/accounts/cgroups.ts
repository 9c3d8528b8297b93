import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cgroupsOf, movePids, removeGroup } from './cgroup-placement.js';
import { v1Usage, v2Usage, type GroupUsage } from './cgroup-usage.js';
import type { PlanLimits } from './config.js';

/** The limits a group holds (null: unlimited), as read back from the kernel. */
export interface GroupLimits {
  cpu_percent: number | null;
  memory_mb: number | null;
  max_processes: number | null;
}

/**
 * Per-account control groups: `cgroup-v1` (memory, cpu, pids hierarchies, group
 * `velopanel/<user>` in each) or `cgroup-v2` (one group `velopanel/<user>` with those
 * controllers); `none` when neither is writable, with the reason. Processes get there by
 * {@link Cgroups.place}: every process whose real uid is the account's is moved in.
 */
export interface Cgroups {
  kind: 'cgroup-v1' | 'cgroup-v2' | 'none';
  reason: string;
  /** Make the account's group and write its limits. */
  apply(username: string, limits: PlanLimits): void;
  read(username: string): GroupLimits | null;
  /** What the group uses now; null when it does not exist (or `none`). */
  usage(username: string): GroupUsage | null;
  /** Move these processes (the account's, see {@link processesByUid}) into the group unless there already; returns how many moved. */
  place(username: string, pids: string[]): number;
  /** The group's `cgroup.procs` files (one per hierarchy), or [] when it does not exist (or `none`). */
  procsFiles(username: string): string[];
  /** The directories holding every account's group (`<dir>/<user>`), one per hierarchy; [] under `none`. */
  parents(): string[];
  remove(username: string): void;
}

const CGROUP_FS = '/sys/fs/cgroup';
const PERIOD_US = 100_000;

function write(file: string, value: string | number): void {
  writeFileSync(file, String(value));
}

const readNum = (file: string): number | null => {
  const s = readFileSync(file, 'utf8').trim().split(/\s+/)[0]!;
  return s === 'max' || s === '-1' ? null : Number(s);
};

/**
 * Whether v1's cpuacct is a hierarchy of its own (not co-mounted with cpu) that the panel can
 * write: then the account also gets a group there, only to count its CPU time (no limit).
 */
function separateCpuacct(root: string): boolean {
  const acct = path.join(root, 'cpuacct');
  if (!existsSync(path.join(acct, 'cgroup.procs')) || realpathSync(acct) === realpathSync(path.join(root, 'cpu')))
    return false;
  return writable(path.join(acct, 'velopanel')) === null;
}

function v1(root: string): Cgroups {
  const dir = (ctl: string, u: string) => path.join(root, ctl, 'velopanel', u);
  const ctls = ['memory', 'cpu', 'pids'];
  const acct = separateCpuacct(root);
  const all = acct ? [...ctls, 'cpuacct'] : ctls;
  const procsFiles = (u: string) => {
    if (!existsSync(dir('memory', u))) return [];
    // A group made before cpuacct was counted gets its cpuacct group here.
    if (acct) mkdirSync(dir('cpuacct', u), { recursive: true });
    return all.map((c) => path.join(dir(c, u), 'cgroup.procs'));
  };
  return {
    kind: 'cgroup-v1',
    reason: `cgroup v1 at ${root}/{memory,cpu,pids${acct ? ',cpuacct' : ''}}/velopanel/<user>`,
    apply(u, l) {
      for (const c of all) mkdirSync(dir(c, u), { recursive: true });
      const m = dir('memory', u);
      const bytes = l.memory_mb === null ? -1 : l.memory_mb * 1024 * 1024;
      // memsw (memory + swap) must stay >= the memory limit: open it first, then set both, so swap is no way around.
      const memsw = path.join(m, 'memory.memsw.limit_in_bytes');
      if (existsSync(memsw)) write(memsw, -1);
      write(path.join(m, 'memory.limit_in_bytes'), bytes);
      if (existsSync(memsw)) write(memsw, bytes);
      write(path.join(dir('cpu', u), 'cpu.cfs_period_us'), PERIOD_US);
      write(
        path.join(dir('cpu', u), 'cpu.cfs_quota_us'),
        l.cpu_percent === null ? -1 : Math.round((l.cpu_percent * PERIOD_US) / 100),
      );
      write(path.join(dir('pids', u), 'pids.max'), l.max_processes ?? 'max');
    },
    read(u) {
      if (!existsSync(dir('memory', u))) return null;
      const mem = readNum(path.join(dir('memory', u), 'memory.limit_in_bytes'))!;
      const quota = readNum(path.join(dir('cpu', u), 'cpu.cfs_quota_us'));
      return {
        memory_mb: mem >= 2 ** 62 ? null : Math.round(mem / 1024 / 1024),
        cpu_percent:
          quota === null ? null : Math.round((quota * 100) / readNum(path.join(dir('cpu', u), 'cpu.cfs_period_us'))!),
        max_processes: readNum(path.join(dir('pids', u), 'pids.max')),
      };
    },
    usage(u) {
      if (!existsSync(dir('memory', u))) return null;
      return v1Usage(dir('memory', u), dir('pids', u), [dir('cpu', u), ...(acct ? [dir('cpuacct', u)] : [])]);
    },
    place(u, pids) {
      if (!existsSync(dir('memory', u))) return 0;
      const inGroup = (pid: string) =>
        all.every((c) => new RegExp(`^\\d+:([^:]*,)?${c}(,[^:]*)?:/velopanel/${u}$`, 'm').test(cgroupsOf(pid)));
      return movePids(pids, inGroup, procsFiles(u));
    },
    procsFiles,
    parents: () => all.map((c) => path.join(root, c, 'velopanel')),
    remove(u) {
      for (const c of [...ctls, 'cpuacct']) removeGroup(dir(c, u), path.join(root, c, 'cgroup.procs'));
    },
  };
}

function v2(root: string): Cgroups {
  const dir = (u: string) => path.join(root, 'velopanel', u);
  return {
    kind: 'cgroup-v2',
    // Under systemd these groups sit beside its slices, not in them: systemd neither made nor manages them.
    reason: `cgroup v2 at ${root}/velopanel/<user>${existsSync('/run/systemd/system') ? ' (written directly, not as systemd slices)' : ''}`,
    apply(u, l) {
      mkdirSync(dir(u), { recursive: true });
      write(path.join(root, 'velopanel', 'cgroup.subtree_control'), '+memory +cpu +pids');
      write(path.join(dir(u), 'memory.max'), l.memory_mb === null ? 'max' : l.memory_mb * 1024 * 1024);
      if (existsSync(path.join(dir(u), 'memory.swap.max')))
        write(path.join(dir(u), 'memory.swap.max'), l.memory_mb === null ? 'max' : 0);
      write(
        path.join(dir(u), 'cpu.max'),
        `${l.cpu_percent === null ? 'max' : Math.round((l.cpu_percent * PERIOD_US) / 100)} ${PERIOD_US}`,
      );
      write(path.join(dir(u), 'pids.max'), l.max_processes ?? 'max');
    },
    read(u) {
      if (!existsSync(dir(u))) return null;
      const mem = readNum(path.join(dir(u), 'memory.max'));
      const [q, p] = readFileSync(path.join(dir(u), 'cpu.max'), 'utf8')
        .trim()
        .split(' ');
      return {
        memory_mb: mem === null ? null : Math.round(mem / 1024 / 1024),
        cpu_percent: q === 'max' ? null : Math.round((Number(q) * 100) / Number(p)),
        max_processes: readNum(path.join(dir(u), 'pids.max')),
      };
    },
    usage(u) {
      return existsSync(dir(u)) ? v2Usage(dir(u)) : null;
    },
    place(u, pids) {
      if (!existsSync(dir(u))) return 0;
      return movePids(
        pids,
        (pid) => cgroupsOf(pid).includes(`0::/velopanel/${u}\n`),
        existsSync(dir(u)) ? [path.join(dir(u), 'cgroup.procs')] : [],
      );
    },
    procsFiles: (u) => (existsSync(dir(u)) ? [path.join(dir(u), 'cgroup.procs')] : []),
    parents: () => [path.join(root, 'velopanel')],
    remove: (u) => removeGroup(dir(u), path.join(root, 'cgroup.procs')),
  };
}

const none = (reason: string): Cgroups => ({
  kind: 'none',
  reason,
  apply: () => undefined,
  read: () => null,
  usage: () => null,
  place: () => 0,
  procsFiles: () => [],
  parents: () => [],
  remove: () => undefined,
});

/** Try making the panel's parent group; the error says why a hierarchy cannot be used. */
function writable(dir: string): string | null {
  try {
    mkdirSync(dir, { recursive: true });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Find a writable cgroup hierarchy with memory, cpu and pids (v2 unified first, then v1) under `root`. */
export function detectCgroups(linux: boolean, root = CGROUP_FS): Cgroups {
  if (!linux) return none('local mode: accounts run no processes of their own');
  const controllers = (() => {
    try {
      return readFileSync(path.join(root, 'cgroup.controllers'), 'utf8').split(/\s+/);
    } catch {
      return [];
    }
  })();
  if (['memory', 'cpu', 'pids'].every((c) => controllers.includes(c))) {
    const err = writable(path.join(root, 'velopanel'));
    if (!err) return v2(root);
  }
  const missing = ['memory', 'cpu', 'pids'].filter((c) => !existsSync(path.join(root, c, 'cgroup.procs')));
  if (missing.length)
    return none(`no writable cgroup hierarchy: v2 at ${root} lacks memory/cpu/pids and v1 lacks ${missing.join(', ')}`);
  const errs = ['memory', 'cpu', 'pids'].map((c) => writable(path.join(root, c, 'velopanel'))).filter(Boolean);
  return errs.length ? none(`cgroup v1 hierarchies are not writable: ${errs[0]}`) : v1(root);
}
