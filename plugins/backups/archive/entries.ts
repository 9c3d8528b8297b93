import { ArchiveError, type RawHeader } from './tar-decode.js';

/** Where an archive entry belongs, after its name and type passed every check. */
export type ClassifiedEntry =
  | { part: 'home'; rel: string; kind: 'file' | 'directory' | 'symlink' }
  | { part: 'database'; engine: string; database: string; index: number }
  | { part: 'manifest' };

const CONTROL = /[\u0000-\u001f\u007f]/;
const DUMP = /^databases\/([a-z0-9][a-z0-9_-]{0,63})\/([A-Za-z0-9_]{1,80})\.sql\.(\d{6})$/;
const MAX_PATH = 4096;
const MAX_NAME = 255;

function kindOf(h: RawHeader): 'file' | 'directory' | 'symlink' {
  switch (h.typeflag) {
    case '0':
    case '\0':
    case '7':
      return 'file';
    case '5':
      return 'directory';
    case '2':
      return 'symlink';
    case '1':
      throw new ArchiveError(
        `${h.name} is a hard link (to ${h.linkname}); hard links are not accepted${h.linkname.startsWith('/') || h.linkname.split('/').includes('..') ? ', and this one points outside the archive' : ''}`,
      );
    case '3':
    case '4':
      throw new ArchiveError(`${h.name} is a device node; devices are not accepted`);
    case '6':
      throw new ArchiveError(`${h.name} is a FIFO; FIFOs are not accepted`);
    default:
      throw new ArchiveError(`${h.name} has an unsupported entry type '${h.typeflag}'`);
  }
}

/** Refuse absolute, `..`, empty and control-character names, and names longer than Linux allows. */
export function checkEntryName(raw: string): string {
  if (raw.startsWith('/')) throw new ArchiveError(`${raw.slice(0, 200)} is an absolute path`);
  if (CONTROL.test(raw)) throw new ArchiveError(`an entry name contains control characters`);
  if (Buffer.byteLength(raw) > MAX_PATH) throw new ArchiveError(`an entry name is longer than ${MAX_PATH} bytes`);
  const name = raw.endsWith('/') ? raw.slice(0, -1) : raw;
  for (const c of name.split('/')) {
    if (c === '..') throw new ArchiveError(`${raw.slice(0, 200)} contains '..'`);
    if (c === '' || c === '.') throw new ArchiveError(`${raw.slice(0, 200)} has an empty or '.' component`);
    if (Buffer.byteLength(c) > MAX_NAME)
      throw new ArchiveError(`${raw.slice(0, 200)} has a component longer than ${MAX_NAME} bytes`);
  }
  return name;
}

/** Classify an entry: the home tree, a database dump chunk, or the manifest. Anything else is refused. */
export function classifyEntry(h: RawHeader): ClassifiedEntry {
  const name = checkEntryName(h.name);
  if (name === 'home' || name.startsWith('home/')) {
    const kind = kindOf(h);
    if (kind !== 'file' && h.size !== 0) throw new ArchiveError(`${name} is not a file but carries data`);
    if (name === 'home' && kind !== 'directory') throw new ArchiveError('home must be a directory');
    return { part: 'home', rel: name === 'home' ? '' : name.slice(5), kind };
  }
  if (name === 'manifest.json') {
    if (kindOf(h) !== 'file') throw new ArchiveError('manifest.json must be a regular file');
    return { part: 'manifest' };
  }
  const dump = DUMP.exec(name);
  if (dump) {
    if (kindOf(h) !== 'file') throw new ArchiveError(`${name} must be a regular file`);
    return { part: 'database', engine: dump[1]!, database: dump[2]!, index: Number(dump[3]) };
  }
  throw new ArchiveError(
    `unexpected entry ${name.slice(0, 200)} (a backup holds home/, databases/ and manifest.json only)`,
  );
}
