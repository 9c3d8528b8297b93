import type { BackupScope } from '../../../sdk/index.js';
import { readConfigSecret } from './secrets.js';

/** A configured target, wherever it was declared, before its kind is resolved. */
export interface TargetRecord {
  id: string;
  kind: string;
  scope: BackupScope;
  ownerId: number | null;
  source: 'builtin' | 'config' | 'api';
  /** Settings without secrets (what the API may show). */
  publicConfig: Record<string, unknown>;
  /** Settings with secrets, read only when the target is used. */
  settings(secretFields: readonly string[]): Record<string, unknown>;
  createdAt: string | null;
  /** Why the declaration itself is unusable (config-file mistakes). */
  problem: string | null;
}

const ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const SCOPES: BackupScope[] = ['server', 'reseller', 'account'];

/**
 * Targets declared in `[[plugins.backups.targets]]`. A bad declaration does not stop the panel:
 * the target is listed as unavailable with the reason naming the key.
 */
export function configRecords(list: Record<string, unknown>[]): TargetRecord[] {
  return list.map((raw, i) => {
    const where = `plugins.backups.targets[${i}]`;
    const { id, type, scope = 'server', owner_id: ownerId = null, ...rest } = raw;
    let problem: string | null = null;
    if (typeof id !== 'string' || !ID.test(id))
      problem = `${where}.id: must be 1–40 lowercase letters, digits, '-' or '_'`;
    else if (typeof type !== 'string' || !ID.test(type))
      problem = `${where}.type: must name a backup target type (local, s3, sftp, …)`;
    else if (!SCOPES.includes(scope as BackupScope)) problem = `${where}.scope: must be server, reseller or account`;
    else if ((scope === 'server') !== (ownerId === null) || (ownerId !== null && !Number.isInteger(ownerId)))
      problem = `${where}.owner_id: required (an integer) for reseller and account scopes, absent for server`;
    const publicConfig = Object.fromEntries(
      Object.entries(rest).filter(([k]) => !k.endsWith('_file') && !k.endsWith('_env')),
    );
    return {
      id: typeof id === 'string' ? id : `invalid-${i}`,
      kind: typeof type === 'string' ? type : '',
      scope: (SCOPES.includes(scope as BackupScope) ? scope : 'server') as BackupScope,
      ownerId: typeof ownerId === 'number' ? ownerId : null,
      source: 'config' as const,
      publicConfig,
      createdAt: null,
      problem,
      settings(secretFields) {
        const out: Record<string, unknown> = { ...publicConfig };
        for (const f of secretFields) {
          if (f in publicConfig)
            throw new Error(
              `${where}.${f}: secrets may not be written in the config file; use ${f}_file (mode 0600) or ${f}_env`,
            );
          const value = readConfigSecret(rest, f, where);
          if (value !== undefined) out[f] = value;
        }
        return out;
      },
    };
  });
}

/** A target stored through the API (secrets sealed separately). */
export function storedRecord(
  row: { id: string; kind: string; scope: string; owner_id: number | null; config: string; created_at: string },
  openSecrets: () => Record<string, string>,
): TargetRecord {
  const publicConfig = JSON.parse(row.config) as Record<string, unknown>;
  return {
    id: row.id,
    kind: row.kind,
    scope: row.scope as BackupScope,
    ownerId: row.owner_id === null ? null : Number(row.owner_id),
    source: 'api',
    publicConfig,
    createdAt: row.created_at,
    problem: null,
    settings: () => ({ ...publicConfig, ...openSecrets() }),
  };
}
