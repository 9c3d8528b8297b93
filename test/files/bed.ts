// Test bed of the file manager: a real panel with the files plugin, and a stand-in for the
// accounts plugin (an inline plugin providing `accountDirectory`) over temp homes.
//   account 1 'alice'  — the user token's account (admin-owned)
//   account 2 'alice2' — a sibling tenant whose home name starts with alice (the prefix trap)
//   account 3 'bob'    — owned by the test reseller (id 2)
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { accountDirectory, accountRef, definePlugin, type AccountInfo } from '../../sdk/index.js';
import { startTestPanel, type TestPanel } from '../../sdk/testing/index.js';
import { createThrowawayUser, type ThrowawayUser } from '../bed/helpers/linux-user.js';

export interface FilesBed {
  panel: TestPanel;
  root: string;
  accounts: Map<number, AccountInfo>;
  home(id: number): string;
  /** A file the panel itself owns, outside every home (stands in for the panel's config). */
  panelConfig: string;
  stop(): Promise<void>;
}

export interface FilesBedOptions {
  mode?: 'local' | 'linux';
  /** Run account 1 as this system user (linux mode): its home, uid and gid. */
  user?: { home: string; uid: number; gid: number; name: string };
  quotaMb?: number;
  files?: Record<string, unknown>;
  /** Runs once the homes exist, before the panel starts (e.g. to leave what a crash would). */
  beforeStart?: (accounts: Map<number, AccountInfo>) => void;
}

function account(id: number, username: string, home: string, extra: Partial<AccountInfo> = {}): AccountInfo {
  return {
    id,
    username,
    primary_domain: `${username}.test`,
    email: `${username}@example.test`,
    plan: 'free',
    status: 'active',
    home_dir: home,
    uid: null,
    gid: null,
    disk_quota_mb: 0,
    bandwidth_quota_mb: 0,
    reseller_id: null,
    created_at: '2026-01-01 00:00:00',
    ...extra,
  };
}

/** Start a panel with the files plugin over fresh homes. */
export async function startFilesBed(opts: FilesBedOptions = {}): Promise<FilesBed> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'vp-files-'));
  chmodSync(root, 0o755);
  const homes = path.join(root, 'home');
  const accounts = new Map<number, AccountInfo>();
  const alice = opts.user
    ? account(1, opts.user.name, opts.user.home, { uid: opts.user.uid, gid: opts.user.gid })
    : account(1, 'alice', path.join(homes, 'alice'));
  accounts.set(1, { ...alice, disk_quota_mb: opts.quotaMb ?? 0 });
  accounts.set(2, account(2, 'alice2', path.join(homes, 'alice2'), { reseller_id: 77 }));
  accounts.set(3, account(3, 'bob', path.join(homes, 'bob'), { reseller_id: 2 }));
  for (const a of accounts.values()) {
    mkdirSync(path.join(a.home_dir, 'public_html'), { recursive: true });
    if (a.uid !== null) chownSync(path.join(a.home_dir, 'public_html'), a.uid, a.gid!);
  }
  writeFileSync(path.join(homes, 'alice2', 'secret.txt'), 'alice2 secret\n');
  opts.beforeStart?.(accounts);
  const stub = definePlugin({
    manifest: { id: 'test-accounts', version: '1.0.0', sdk: '^1.0.0' },
    start(ctx) {
      ctx.services.provide(accountDirectory, {
        get: async (id) => accounts.get(id) ?? null,
        byUsername: async (name) => [...accounts.values()].find((a) => a.username === name) ?? null,
        list: async (f) => [...accounts.values()].filter((a) => !f?.resellerId || a.reseller_id === f.resellerId),
        owner: async (id) => {
          const a = accounts.get(id);
          return a ? { ref: accountRef(id), resellerId: a.reseller_id } : null;
        },
      });
    },
  });
  const panel = await startTestPanel({
    plugins: ['files'],
    inline: [stub],
    config: {
      mode: opts.mode ?? 'local',
      plugins: { files: opts.files ?? {} },
      ...(process.env.VP_TEST_LOG ? { log_level: 'error' as const } : {}),
    },
  });
  const panelConfig = path.join(panel.dataDir, 'velopanel.toml');
  writeFileSync(panelConfig, 'jwt_secret = "panel-secret-do-not-leak"\n', { mode: 0o600 });
  return {
    panel,
    root,
    accounts,
    panelConfig,
    home: (id) => accounts.get(id)!.home_dir,
    async stop() {
      await panel.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Modes every hostile class runs in: linux mode (a real account user) only as root. */
export const isRoot = process.getuid?.() === 0;
export const MODES: ('local' | 'linux')[] = isRoot ? ['local', 'linux'] : ['local'];
/** Linux mode spawns an agent per operation; on a loaded two-core machine a test may need minutes. */
export const AGENT_TIMEOUT = { timeout: 600_000 };

/** A bed in the given mode; linux mode creates a throwaway system user as account 1, removed in stop(). */
export async function startModeBed(
  mode: 'local' | 'linux',
  opts: Omit<FilesBedOptions, 'mode' | 'user'> = {},
): Promise<FilesBed & { user: ThrowawayUser | null }> {
  const user = mode === 'linux' ? await createThrowawayUser() : null;
  try {
    const bed = await startFilesBed({ ...opts, mode, user: user ?? undefined });
    return {
      ...bed,
      user,
      async stop() {
        try {
          await bed.stop();
        } finally {
          await user?.remove();
        }
      },
    };
  } catch (e) {
    await user?.remove();
    throw e;
  }
}

/** Everything observable about a tree or a file (type, mode, owner, size, link target, content hash). */
export function treeState(...targets: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (p: string, rel: string) => {
    let st;
    try {
      st = lstatSync(p);
    } catch {
      out[rel] = 'missing';
      return;
    }
    const base = `${st.mode.toString(8)}:${st.uid}:${st.gid}:${st.nlink}`;
    if (st.isSymbolicLink()) out[rel] = `${base}:link:${readlinkSync(p)}`;
    else if (st.isFile()) out[rel] = `${base}:${st.size}:${createHash('sha1').update(readFileSync(p)).digest('hex')}`;
    else if (st.isDirectory()) {
      out[rel] = `${base}:dir`;
      for (const n of readdirSync(p).sort()) visit(`${p}/${n}`, `${rel}/${n}`);
    } else out[rel] = `${base}:special`;
  };
  for (const t of targets) visit(t, t);
  return out;
}

/** Processes running as `uid` (in linux mode: the file agents of that account). */
export function processesOf(uid: number): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return new RegExp(`^Uid:\\s+${uid}\\s`, 'm').test(readFileSync(`/proc/${p}/status`, 'utf8'));
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}
