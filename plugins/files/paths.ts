import { errors } from '../../sdk/errors.js';

/** A path inside an account's home, split into validated names. `/` (no parts) is the home. */
export interface HomePath {
  parts: string[];
  /** Normalised text for messages, always starting with `/`. */
  text: string;
}

/**
 * The panel's trash folder in every home: a deleted folder is renamed here first (so the delete
 * is all-or-nothing for the user) and emptied afterwards. Hidden from listings, refused as a path.
 */
export const TRASH_DIR = '.velopanel-trash';

/** A name at the home's top level that belongs to the panel, not the tenant. */
export function isPanelName(name: string): boolean {
  return name === TRASH_DIR;
}

const MAX_PATH_BYTES = 4096;
const MAX_NAME_BYTES = 255;
// Encoded dot, slash, backslash, NUL or percent only become dangerous after a second decode.
const ENCODED = /%(2e|2f|5c|00|25)/i;
// Control characters end up in logs and headers; no legitimate web file needs them.
const CONTROL = /[\u0001-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Reject a single name: the checks shared by paths, upload file names and archive members. */
export function checkName(name: string, field: string, shown = name): void {
  if (name === '..') throw errors.validation(`${field}: must not contain '..' (parent directory)`);
  if (Buffer.byteLength(name) > MAX_NAME_BYTES)
    throw errors.validation(`${field}: the name '${shown.slice(0, 40)}…' is longer than ${MAX_NAME_BYTES} bytes`);
  const folded = name.normalize('NFKC');
  if (folded !== name && (folded === '.' || folded === '..' || /[/\\]/.test(folded)))
    throw errors.validation(`${field}: contains a Unicode look-alike of '.', '/' or '\\'`);
}

/**
 * Validate a user-supplied path and split it into names. The query string was decoded exactly
 * once by the router; an encoded dot, slash, backslash, NUL or '%' still present is refused as double
 * encoding (never decoded again), so no traversal can appear after a second decode.
 */
export function parseHomePath(input: unknown, field = 'path'): HomePath {
  if (typeof input !== 'string') throw errors.validation(`${field}: must be a string`);
  if (input.length === 0) throw errors.validation(`${field}: must not be empty (use "/" for the home directory)`);
  if (input.includes('\0')) throw errors.validation(`${field}: must not contain NUL bytes`);
  if (LONE_SURROGATE.test(input)) throw errors.validation(`${field}: is not valid UTF-8`);
  if (CONTROL.test(input)) throw errors.validation(`${field}: must not contain control characters (newlines, tabs, …)`);
  if (ENCODED.test(input))
    throw errors.validation(
      `${field}: contains an encoded '.', '/', '\\', NUL or '%' (double encoding); send the decoded path`,
    );
  if (input.includes('\\')) throw errors.validation(`${field}: must use '/' as separator, not '\\'`);
  if (Buffer.byteLength(input) > MAX_PATH_BYTES)
    throw errors.validation(`${field}: is longer than ${MAX_PATH_BYTES} bytes`);
  const parts = input.split('/').filter((p) => p !== '' && p !== '.');
  for (const part of parts) checkName(part, field);
  if (parts[0] !== undefined && isPanelName(parts[0]))
    throw errors.validation(`${field}: '/${parts[0]}' is reserved by the panel`);
  return { parts, text: '/' + parts.join('/') };
}

/** A path that must name something inside the home, not the home itself. */
export function parseEntryPath(input: unknown, field = 'path'): HomePath & { name: string; parent: HomePath } {
  const p = parseHomePath(input, field);
  const name = p.parts[p.parts.length - 1];
  if (name === undefined)
    throw errors.validation(`${field}: must name a file or folder inside the home, not the home itself`);
  const parentParts = p.parts.slice(0, -1);
  return { ...p, name, parent: { parts: parentParts, text: '/' + parentParts.join('/') } };
}

/** Join a home path and a child name for messages. */
export function childText(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** A single file name (upload file name, new name): no separators at all. */
export function parseFileName(input: unknown, field = 'filename'): string {
  if (typeof input !== 'string' || input.length === 0)
    throw errors.validation(`${field}: must be a non-empty file name`);
  if (input.includes('/')) throw errors.validation(`${field}: must be a file name without '/'`);
  const p = parseHomePath(input, field);
  if (p.parts.length !== 1) throw errors.validation(`${field}: must be a file name, not '.'`);
  return p.parts[0]!;
}
