import { errors } from '../../../sdk/errors.js';
import { checkName } from '../paths.js';
import { inBlocks } from '../sandbox/measure.js';

/** An archive member as both readers (tar, zip) describe it. */
export interface MemberHeader {
  name: string;
  /** `file`, `directory`, or what the format calls anything else (`symlink`, `link`, `fifo`, …). */
  type: string;
  mode: number;
  size: number;
  /** Modification time in seconds (negative before 1970); absent when the format gives none we use. */
  mtime?: number;
}

/** A member that passed the policy: where it goes (names below the destination) and what it is. */
export interface SafeMember {
  parts: string[];
  kind: 'file' | 'directory';
  /** Permission bits to create it with (0–777). */
  mode: number;
  size: number;
  /** Modification time to set (seconds), null: left at the time of extraction. */
  mtime: number | null;
}

const REFUSED_TYPES: Record<string, string> = {
  symlink: 'a symbolic link',
  link: 'a hard link',
  'character-device': 'a device node',
  'block-device': 'a device node',
  fifo: 'a FIFO',
  socket: 'a socket',
};

/** A member name safe to show in a message (control characters replaced). */
export function shown(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 120 ? `${clean.slice(0, 120)}…` : clean;
}

/**
 * The extraction policy: no links, devices, FIFOs, absolute names, `..`, drive letters or
 * setuid/setgid/sticky bits. Returns null for the archive's own root entry (`./`).
 */
export function checkMember(h: MemberHeader): SafeMember | null {
  const label = `archive member '${shown(h.name)}'`;
  const refused = REFUSED_TYPES[h.type];
  if (refused) throw errors.validation(`${label} is ${refused}; links, devices and FIFOs are never extracted`);
  if (h.type !== 'file' && h.type !== 'contiguous-file' && h.type !== 'directory')
    throw errors.validation(`${label} has an unsupported type '${shown(h.type)}'`);
  if (h.name.startsWith('/')) throw errors.validation(`${label} has an absolute name`);
  if (/^[a-z]:/i.test(h.name) || h.name.includes('\\')) throw errors.validation(`${label} uses a drive letter or '\\'`);
  if (/[\u0000-\u001f\u007f]/.test(h.name)) throw errors.validation(`${label} contains control characters`);
  if ((h.mode & 0o7000) !== 0) throw errors.validation(`${label} has setuid, setgid or sticky bits`);
  const parts = h.name.split('/').filter((p) => p !== '' && p !== '.');
  for (const part of parts) checkName(part, label, shown(part));
  if (parts.length === 0) {
    if (h.type === 'directory') return null;
    throw errors.validation(`${label} has an empty name`);
  }
  if (!Number.isSafeInteger(h.size) || h.size < 0) throw errors.validation(`${label} declares an invalid size`);
  const kind = h.type === 'directory' ? 'directory' : 'file';
  return { parts, kind, mode: h.mode & 0o777, size: kind === 'file' ? h.size : 0, mtime: h.mtime ?? null };
}

/** What a scan of the whole archive found, before anything is written. */
export interface ArchivePlan {
  members: number;
  /** Apparent bytes of the files. */
  bytes: number;
  /** Disk space the extraction takes: files in whole blocks, a block per folder (listed or implied). */
  disk: number;
  /** First-level names the extraction will create in the destination. */
  roots: string[];
}

/** Accumulate checked members into a plan, enforcing the entry cap; `block` is the destination's block size. */
export function planner(maxEntries: number, block = 4096) {
  const plan: ArchivePlan = { members: 0, bytes: 0, disk: 0, roots: [] };
  const roots = new Set<string>();
  const folders = new Set<string>();
  const folder = (key: string) => {
    if (folders.has(key)) return;
    folders.add(key);
    plan.disk += block;
  };
  return {
    plan,
    add(h: MemberHeader): SafeMember | null {
      const m = checkMember(h);
      if (!m) return null;
      if (++plan.members > maxEntries) throw errors.validation(`archive: has more than ${maxEntries} members`);
      plan.bytes += m.size;
      plan.disk += inBlocks(m.size, block);
      for (let i = 1; i < m.parts.length; i++) folder(m.parts.slice(0, i).join('/'));
      if (m.kind === 'directory') folder(m.parts.join('/'));
      if (!roots.has(m.parts[0]!)) {
        roots.add(m.parts[0]!);
        plan.roots.push(m.parts[0]!);
      }
      return m;
    },
  };
}
