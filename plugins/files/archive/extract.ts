import fs from 'node:fs';
import { errors } from '../../../sdk/errors.js';
import { isPanelName, parseEntryPath, parseHomePath } from '../paths.js';
import { discard, setModeAt } from '../sandbox/copy.js';
import { freeBytes, measureEntry } from '../sandbox/measure.js';
import { closeFd, type Dir, fsError, tempName, using } from '../sandbox/fd.js';
import { lstatAt, openDir, openRegular, walk, withHome, type HomeContext } from '../sandbox/walk.js';
import { ExtractBudget, type ExpansionLimits } from './inflation.js';
import { memberWriter } from './member-writer.js';
import { checkMember, planner, type ArchivePlan } from './policy.js';
import { eachMember, formatOf, type ArchiveFormat } from './readers.js';

/** Limits and reporting of one extraction. */
export interface ExtractContext extends HomeContext {
  maxEntries: number;
  expansion: ExpansionLimits;
  progress?: (percent: number, message?: string) => void;
  signal?: AbortSignal;
}

/** Where an extraction goes and what it may take there. */
interface ScanBounds {
  /** The destination, for messages. */
  rel: string;
  block: number;
  /** Disk bytes free for it (quota, else the filesystem). */
  cap: number;
}

/**
 * Open the archive, checked like any read, and scan it: every member passes the policy or
 * nothing is written. The scan stops at the first member that takes the running total past the
 * free space or the expansion bound (see {@link ExtractBudget}).
 */
export async function scanArchive(
  ctx: ExtractContext,
  dir: Dir,
  name: string,
  bounds: ScanBounds,
): Promise<{ format: ArchiveFormat; plan: ArchivePlan; ino: number; budget: ExtractBudget }> {
  const { fd, st, rel } = await openRegular(dir, name, ctx);
  let format: ArchiveFormat;
  try {
    format = await formatOf(fd, name, rel);
  } catch (e) {
    await closeFd(fd);
    throw e;
  }
  const budget = new ExtractBudget(bounds.rel, rel, st.size, ctx.expansion, bounds.cap);
  const p = planner(ctx.maxEntries, bounds.block);
  await eachMember(
    fd,
    format,
    async (h) => {
      p.add(h);
      budget.declared(p.plan);
    },
    budget,
  );
  return { format, plan: p.plan, ino: st.ino, budget };
}

/**
 * `POST /api/files/extract`: unpack a .tar.gz/.tgz/.zip into a folder (created when missing).
 * Members are scanned first; then written below a staging folder and moved into place only when
 * all succeeded, so a refused or failed extraction leaves the destination as it was.
 */
export async function extractArchive(
  ctx: ExtractContext,
  args: { path: string; destination: string; quota: number | null; used?: number | null },
) {
  const src = parseEntryPath(args.path);
  const dest = parseHomePath(args.destination, 'destination');
  return withHome(ctx, async (home) =>
    using(await walk(home, src.parent.parts), async (srcDir) => {
      const disk = await fs.promises.statfs(ctx.home);
      const cap = (await freeBytes(ctx, args.quota, args.used)) ?? disk.bavail * disk.bsize;
      const scan = await scanArchive(ctx, srcDir, src.name, { rel: dest.text, block: disk.bsize, cap });
      const reserved = dest.parts.length === 0 ? scan.plan.roots.find(isPanelName) : undefined;
      if (reserved !== undefined)
        throw errors.validation(
          `archive member '${reserved}' would land on '/${reserved}', which is reserved by the panel`,
        );
      const exists =
        dest.parts.length === 0 ||
        (await using(await walk(home, dest.parts.slice(0, -1)), (d) => lstatAt(d, dest.parts.at(-1)!))) !== null;
      const target = await walk(home, exists ? dest.parts : dest.parts.slice(0, -1));
      return using(target, async (place) => {
        if (exists)
          for (const root of scan.plan.roots)
            if (await lstatAt(place, root))
              throw errors.conflict(`'${place.relOf(root)}' already exists; extract into an empty or new folder`);
        const stagingName = tempName('extract');
        await fs.promises.mkdir(place.at(stagingName), 0o700).catch((e) => {
          throw fsError(e, dest.text);
        });
        try {
          const archive = await openRegular(srcDir, src.name, ctx);
          if (archive.st.ino !== scan.ino) {
            await closeFd(archive.fd);
            throw errors.conflict(`'${src.text}' was replaced during the extraction`);
          }
          await using(await openDir(place, stagingName), async (staging) => {
            const writer = memberWriter(ctx, staging, { cap, block: disk.bsize }, scan.plan.bytes, dest.text);
            try {
              await eachMember(
                archive.fd,
                scan.format,
                async (h, body) => {
                  const m = checkMember(h);
                  if (m) await writer.write(m, body);
                },
                scan.budget,
              );
              await writer.finish();
            } finally {
              await writer.close();
            }
            if (!exists) return;
            for (const root of scan.plan.roots) {
              if (await lstatAt(place, root))
                throw errors.conflict(`'${place.relOf(root)}' already exists; extract into an empty or new folder`);
              await fs.promises.rename(staging.at(root), place.at(root)).catch((e) => {
                throw fsError(e, place.relOf(root));
              });
            }
          });
          if (exists) await fs.promises.rmdir(place.at(stagingName));
          else {
            await setModeAt(place, stagingName, 0o755);
            await fs.promises.rename(place.at(stagingName), place.at(dest.parts.at(-1)!)).catch((e) => {
              throw fsError(e, dest.text);
            });
          }
        } catch (e) {
          await discard(place, stagingName);
          throw e;
        }
        ctx.progress?.(100, 'extracted');
        // What it added, for the usage counter: the roots were new (refused above when they existed).
        let grown = 0;
        for (const root of exists ? scan.plan.roots : [dest.parts.at(-1)!])
          grown += (await measureEntry(place, root, ctx, false)).allocated;
        return { path: src.text, destination: dest.text, members: scan.plan.members, bytes: scan.plan.bytes, grown };
      });
    }),
  );
}
