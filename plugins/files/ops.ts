import type { Readable, Writable } from 'node:stream';
import type { ExpansionLimits } from './archive/inflation.js';
import { listDir, readText, type ListArgs } from './sandbox/browse.js';
import { copyPath } from './sandbox/copy.js';
import { sendFile, type DownloadMeta } from './sandbox/download.js';
import { fillFrom, type Filler } from './sandbox/fill.js';
import { diskUsage, selectionSize } from './sandbox/measure.js';
import { changeMode, movePath, removePath } from './sandbox/modify.js';
import { purgeTrash } from './sandbox/remove.js';
import { measureTouches, resolveTouches, TOUCHES } from './sandbox/usage-probe.js';
import type { HomeContext } from './sandbox/walk.js';
import { makeDir, receiveFile, writeText, type UploadArgs } from './sandbox/write.js';

/** Streams and reporting an operation may use; absent for plain request/answer operations. */
export interface OpIO {
  /** Upload content. */
  input?: Readable;
  /**
   * Download: receives the headers' data and the checked fd, returns where the body goes (null:
   * no body here; in linux mode the panel sends the body from that fd itself).
   */
  output?: (meta: DownloadMeta, fd: number) => Promise<Writable | null>;
  progress?: (percent: number, message?: string) => void;
  signal?: AbortSignal;
}

/** Everything an operation runs with: the home, the account's uid and the plugin's limits. */
export interface OpContext extends HomeContext, OpIO {
  textLimit: number;
  maxEntries: number;
  /** How far an extracted archive may expand. */
  expansion: ExpansionLimits;
  /** Upload in linux mode: the panel writes the bytes into the agent's checked temp file. */
  fill?: Filler;
}

const missing = (what: string): never => {
  throw new Error(`operation needs ${what}`);
};

/**
 * Every file operation by name, with JSON arguments, so the same table runs in the panel (local
 * mode) and in the agent child running as the account's user (linux mode).
 */
export const OPS = {
  list: (c: OpContext, a: ListArgs) => listDir(c, a),
  read: (c: OpContext, a: { path: string }) => readText(c, a),
  write: (c: OpContext, a: Parameters<typeof writeText>[1]) => writeText(c, a),
  mkdir: (c: OpContext, a: { path: string }) => makeDir(c, a),
  chmod: (c: OpContext, a: { path: string; mode: number }) => changeMode(c, a),
  delete: (c: OpContext, a: { path: string }) => removePath(c, a),
  purge: (c: OpContext, _a: Record<string, never>) => purgeTrash(c),
  rename: (c: OpContext, a: { from: string; to: string }) => movePath(c, a),
  copy: (c: OpContext, a: Parameters<typeof copyPath>[1]) => copyPath(c, a),
  size: (c: OpContext, a: { paths: string[] }) => selectionSize(c, a),
  /** The home's whole usage (the counter's correcting walk). */
  usage: async (c: OpContext, _a: Record<string, never>) => ({ allocated: (await diskUsage(c)).allocated }),
  download: (c: OpContext, a: { path: string; range: string | null }) =>
    sendFile(c, a, c.output ?? missing('an output')),
  upload: (c: OpContext, a: UploadArgs) => receiveFile(c, a, c.fill ?? fillFrom(c.input ?? missing('an input'))),
  // Archive code loads only when used, keeping the agent's start short.
  compress: async (
    c: OpContext,
    a: { paths: string[]; destination: string; quota: number | null; used?: number | null },
  ) => (await import('./archive/pack.js')).compressPaths(c, a),
  extract: async (c: OpContext, a: { path: string; destination: string; quota: number | null; used?: number | null }) =>
    (await import('./archive/extract.js')).extractArchive(c, a),
};

/** Name of a file operation. */
export type OpName = keyof typeof OPS;
/** Arguments of a file operation. */
export type OpArgs<N extends OpName> = Parameters<(typeof OPS)[N]>[1];
/** Result of a file operation. */
export type OpResult<N extends OpName> = Awaited<ReturnType<(typeof OPS)[N]>>;

/**
 * Run an operation in this process. One that changes the home's usage also reports by how much
 * (`grown`, bytes; null when it could not be told), measured on what it touched before and after
 * (see usage-probe.ts): the panel keeps each account's usage counter with it.
 */
export async function runOp<N extends OpName>(op: N, ctx: OpContext, args: OpArgs<N>): Promise<OpResult<N>> {
  const fn = OPS[op] as (c: OpContext, a: unknown) => Promise<OpResult<N>>;
  if (typeof fn !== 'function') throw new Error(`unknown file operation '${String(op)}'`);
  const touches = Object.hasOwn(TOUCHES, op) ? TOUCHES[op]! : null;
  if (!touches) return fn(ctx, args);
  const t = await resolveTouches(ctx, touches(args)).catch(() => null);
  // A folder the delete moves to the trash still counts (until the purge): only a file goes at once.
  const filesOnly = op === 'delete';
  const before = t ? await measureTouches(ctx, t, filesOnly).catch(() => null) : null;
  const result = await fn(ctx, args);
  const after = t && before !== null ? await measureTouches(ctx, t, filesOnly).catch(() => null) : null;
  return { ...result, grown: after === null || before === null ? null : after - before };
}
