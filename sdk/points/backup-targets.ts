import type { Readable } from 'node:stream';
import type { TSchema } from 'typebox';
import { errors } from '../errors.js';
import { createExtensionPoint } from '../extension-points.js';

/**
 * Who may use a target: every account on the server (`server`), the accounts of one reseller
 * (`reseller`, owner = the reseller's user id) or one account (`account`, owner = the account id).
 */
export type BackupScope = 'server' | 'reseller' | 'account';

/** One stored backup archive as a target reports it. */
export interface BackupObject {
  /** Object name, e.g. `johndoe-20260228-120000.tar.gz` (see {@link assertBackupObjectName}). */
  name: string;
  /** Size in bytes. */
  size: number;
  /** Last modification time, ISO 8601 (UTC). */
  modified: string;
}

/** What {@link BackupTarget.test} answers: never throws, says why not. */
export interface BackupTargetHealth {
  ok: boolean;
  /** Why the target cannot be used (names the target; never carries a secret). */
  error?: string;
}

/**
 * A place backup archives are stored: the local backup directory, an S3 bucket, an SFTP
 * directory, or anything a third-party plugin adds. Names are flat (one path segment, checked
 * with {@link assertBackupObjectName}); the target maps them under its own directory or prefix.
 *
 * Contract (proven by `backupTargetConformance` from `sdk/testing`): `put` is atomic — a reader
 * never sees a half-written object and a failed or aborted put leaves nothing behind; `get` of a
 * missing object throws `errors.notFound`; a bad name throws `errors.validation`; an unreachable
 * service throws `errors.unavailable` naming the target. Secrets never appear in messages.
 *
 * @example
 * ```ts
 * const t = factory.create({ id: 'offsite', scope: 'server', ownerId: null, config, dataDir });
 * await t.put('johndoe-20260228-120000.tar.gz', archiveStream);
 * ```
 */
export interface BackupTarget {
  /** Target id as configured (e.g. `local`, `offsite`). */
  readonly id: string;
  /** Factory kind (`local`, `s3`, `sftp`, …). */
  readonly kind: string;
  readonly scope: BackupScope;
  /** Whether the target is reachable, authenticated and writable (writes and removes a probe). */
  test(): Promise<BackupTargetHealth>;
  /** Store the whole stream under `name` (replacing an existing object) and return what was stored. */
  put(name: string, from: Readable, opts?: { signal?: AbortSignal }): Promise<BackupObject>;
  /** Read an object as a stream. */
  get(name: string, opts?: { signal?: AbortSignal }): Promise<Readable>;
  /** Objects whose name starts with `prefix` (all when empty), any order. */
  list(prefix?: string): Promise<BackupObject[]>;
  /** One object, or null when it does not exist. */
  stat(name: string): Promise<BackupObject | null>;
  /** Remove an object; false when it did not exist. */
  delete(name: string): Promise<boolean>;
  /** Release connections (called when the target is removed and at shutdown). */
  close?(): Promise<void>;
}

/** What a factory receives to build one configured target. */
export interface BackupTargetSettings<C = Record<string, unknown>> {
  id: string;
  scope: BackupScope;
  /** Reseller user id or account id for narrower scopes; null for `server`. */
  ownerId: number | null;
  /** The target's settings, validated against the factory's `configSchema`, secrets included. */
  config: C;
  /** The panel's data directory (for state a target keeps, e.g. known hosts). */
  dataDir: string;
}

/**
 * One kind of backup target, contributed to {@link backupTargets} with the kind as entry id.
 * Remote kinds carry a tier (`provide(backupTargets, 's3', factory, { tier: 'pro' })`).
 */
export interface BackupTargetFactory<C = any> {
  /** Same as the entry id, e.g. `s3`. */
  readonly kind: string;
  /** Human name, e.g. `Amazon S3 or compatible`. */
  readonly name: string;
  /** Schema of the settings (closed: unknown fields are refused). Put `x-error` on fields. */
  readonly configSchema: TSchema;
  /** Fields of the settings that are secrets: stored encrypted or 0600, never returned by the API. */
  readonly secretFields: readonly string[];
  /** Build a target; throws `errors.validation` for settings the schema cannot express. */
  create(settings: BackupTargetSettings<C>): BackupTarget;
}

/** Extension point: backup target kinds, consumed by the `backups` plugin. */
export const backupTargets = createExtensionPoint<BackupTargetFactory>({ id: 'backup-targets', owner: 'backups' });

const OBJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/**
 * Guard every target runs on names and prefixes: one segment of letters, digits, `.`, `_`, `-`,
 * not starting with a dot, no `..` — so a name can never leave the target's directory or prefix.
 *
 * @example
 * ```ts
 * assertBackupObjectName(name); // throws a 400 for '../x', '/etc/passwd', 'a/b', '.hidden'
 * ```
 */
export function assertBackupObjectName(name: string, field = 'name', allowEmpty = false): void {
  if (allowEmpty && name === '') return;
  if (typeof name !== 'string' || !OBJECT_NAME.test(name) || name.includes('..'))
    throw errors.validation(
      `${field}: must be 1–200 letters, digits, '.', '_' or '-', not starting with '.' and without '..'`,
    );
}

/**
 * A target whose implementation (and its client library) is loaded on first use, so a heavy SDK
 * such as the AWS client does not slow the panel's start. `load` runs at most once.
 *
 * @example
 * ```ts
 * create: (s) => lazyBackupTarget(s, 's3', async () => new (await import('./target.js')).S3Target(s.id, s.scope, s.config)),
 * ```
 */
export function lazyBackupTarget(
  settings: { id: string; scope: BackupScope },
  kind: string,
  load: () => Promise<BackupTarget>,
): BackupTarget {
  let inner: Promise<BackupTarget> | null = null;
  const target = () => (inner ??= load());
  return {
    id: settings.id,
    kind,
    scope: settings.scope,
    test: async () => (await target()).test(),
    put: async (name, from, opts) => (await target()).put(name, from, opts),
    get: async (name, opts) => (await target()).get(name, opts),
    list: async (prefix) => (await target()).list(prefix),
    stat: async (name) => (await target()).stat(name),
    delete: async (name) => (await target()).delete(name),
    close: async () => {
      if (inner) await (await inner).close?.();
    },
  };
}
