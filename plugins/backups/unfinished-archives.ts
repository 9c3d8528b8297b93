import fs from 'node:fs';
import path from 'node:path';
import type { PluginContext } from '../../sdk/index.js';
import { Journal } from './journal.js';
import { LocalTarget } from './targets/local.js';
import type { TargetRegistry } from './targets/registry.js';

/** Journal entry while an archive is stored but not yet verified: a kill then leaves it to remove. */
export interface PendingArchive {
  target: string;
  filename: string;
}

/** The plugin's journal (intents a kill could leave half-done), in the data dir. */
export function backupsJournal(ctx: PluginContext): Journal {
  return new Journal(path.join(ctx.settings.dataDir, 'backups-journal'));
}

/** Journal entry name of an archive being written or verified. */
export const pendingArchive = (filename: string) => `archive-${filename}`;

/** What killed backups left, found at start-up before any new backup can begin. */
export interface UnfinishedArchives {
  /** `.part-*` temp files in local target directories. */
  parts: string[];
  /** Journal entries of archives stored but not verified. */
  pending: { name: string; data: PendingArchive }[];
}

/**
 * Start-up, before any backup can run: list what killed backups left — `.part-*` temp files in
 * local directories, and archives whose backup died before they were verified. Listing first
 * (removal comes later, off the start-up path) keeps a backup started meanwhile out of it.
 */
export async function findUnfinishedArchives(journal: Journal, registry: TargetRegistry): Promise<UnfinishedArchives> {
  const parts: string[] = [];
  for (const rec of await registry.records()) {
    if (rec.kind !== 'local') continue;
    const target = await registry.resolve(rec.id).catch(() => null);
    if (target instanceof LocalTarget) parts.push(...(await target.unfinished().catch(() => [])));
  }
  return { parts, pending: await journal.entries<PendingArchive>('archive-') };
}

/**
 * Remove what {@link findUnfinishedArchives} found: the temp files, and each unverified archive
 * (its job is reported failed by the restart, so it must not be listed as a good one). Returns
 * one line per thing done.
 */
export async function settleArchives(
  found: UnfinishedArchives,
  journal: Journal,
  registry: TargetRegistry,
): Promise<string[]> {
  const notes: string[] = [];
  for (const file of found.parts) {
    await fs.promises.rm(file, { force: true });
    notes.push(`removed ${file}: part of a backup interrupted while it was written`);
  }
  for (const { name, data } of found.pending) {
    const target = await registry.resolve(data.target).catch(() => null);
    if (!target) {
      notes.push(
        `backup target '${data.target}' cannot be reached: ${data.filename}, from a backup interrupted before it was verified, is left for the next start`,
      );
      continue;
    }
    if (await target.stat(data.filename).catch(() => null)) {
      await target.delete(data.filename);
      notes.push(
        `removed ${data.filename} from '${data.target}': its backup was interrupted before the archive was verified (the job failed)`,
      );
    }
    await journal.remove(name);
  }
  return notes;
}
