import { isPanelError } from '../../../sdk/index.js';
import { parseManifest, type Manifest } from '../manifest.js';
import type { ScannedArchive } from './scan-archive.js';
import { ArchiveError } from './tar-decode.js';

/**
 * Check what a scan computed against the archive's own manifest: the manifest is valid input,
 * names the expected account, and every part it lists is in the archive with exactly its size
 * and SHA-256 (and nothing unlisted is); then every symlink is resolved through the others and
 * must stay inside the home. Returns the manifest; throws {@link ArchiveError} with the reason.
 */
export function checkScan(scan: ScannedArchive, username: string): Manifest {
  let m: Manifest;
  try {
    m = parseManifest(scan.manifestText);
  } catch (e) {
    throw new ArchiveError(isPanelError(e) ? e.message : `manifest: ${(e as Error).message}`);
  }
  if (m.account.username !== username)
    throw new ArchiveError(`the backup belongs to account ${m.account.username}, not ${username}`);
  const f = m.files;
  if (f.sha256 !== scan.home.sha256 || f.bytes !== scan.home.bytes || f.entries !== scan.home.entries)
    throw new ArchiveError(
      'the SHA-256 of the home files does not match the manifest (the archive was altered or corrupted)',
    );
  const found = new Map(scan.databases.map((d) => [d.database, d]));
  for (const d of m.databases) {
    const part = found.get(d.database);
    if (!part) throw new ArchiveError(`the dump of database ${d.database} listed in the manifest is missing`);
    if (part.engine !== d.engine)
      throw new ArchiveError(
        `the dump of database ${d.database} is stored under engine ${part.engine}, the manifest says ${d.engine}`,
      );
    if (part.sha256 !== d.sha256 || part.bytes !== d.bytes || part.chunks !== d.chunks)
      throw new ArchiveError(
        `the SHA-256 of the dump of database ${d.database} does not match the manifest (the archive was altered or corrupted)`,
      );
    found.delete(d.database);
  }
  const extra = [...found.keys()][0];
  if (extra) throw new ArchiveError(`the archive holds a dump of ${extra} that the manifest does not list`);
  scan.links.home = m.account.home_dir;
  const escape = scan.links.firstEscape();
  if (escape) throw new ArchiveError(`the symbolic link home/${escape.rel} ${escape.reason}`);
  return m;
}
