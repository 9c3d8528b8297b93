import {
  backupTargets,
  compileValidator,
  errors,
  isPanelError,
  tierRequirementLabel,
  type AccountInfo,
  type BackupTarget,
  type BackupTargetFactory,
  type ExtensionEntry,
  type PluginContext,
  type Principal,
  type Validator,
} from '../../../sdk/index.js';
import type { BackupsConfig } from '../config.js';
import { checkLocalDir, LocalTarget } from './local.js';
import { TargetTests } from './last-tests.js';
import { configRecords, storedRecord, type TargetRecord } from './records.js';
import { SecretBox } from './secrets.js';

/** A target as the API shows it: never a secret, only which secret fields are set. */
export interface TargetView {
  id: string;
  type: string;
  name: string | null;
  scope: TargetRecord['scope'];
  owner_id: number | null;
  source: TargetRecord['source'];
  remote: boolean;
  available: boolean;
  reason: string | null;
  config: Record<string, unknown>;
  created_at: string | null;
}

/**
 * Every configured backup target: the built-in `local` (the backup directory), the config
 * file's, and those made through the API. Resolves kinds through the `backup-targets`
 * extension point under the current licence, validates settings like API input, and caches
 * built targets.
 */
export class TargetRegistry {
  private readonly built = new Map<string, BackupTarget>();
  private readonly validators = new Map<string, Validator<Record<string, unknown>>>();
  readonly box: SecretBox;
  /** Each target's last connection test. */
  readonly tests: TargetTests;

  constructor(
    private readonly ctx: PluginContext<BackupsConfig>,
    readonly backupDir: string,
    private readonly forbiddenDirs: string[],
  ) {
    this.box = new SecretBox(`${ctx.settings.dataDir}/backups-secrets/targets.key`);
    this.tests = new TargetTests(ctx);
  }

  get table(): string {
    return this.ctx.db.table('targets');
  }

  async records(): Promise<TargetRecord[]> {
    const builtin: TargetRecord = {
      id: 'local',
      kind: 'local',
      scope: 'server',
      ownerId: null,
      source: 'builtin',
      publicConfig: { path: this.backupDir },
      settings: () => ({ path: this.backupDir }),
      createdAt: null,
      problem: null,
    };
    const rows = await this.ctx.db.knex(this.table).orderBy('id');
    return [
      builtin,
      ...configRecords(this.ctx.config.targets),
      ...rows.map((r) => storedRecord(r, () => this.box.open(r.secrets))),
    ];
  }

  async record(id: string): Promise<TargetRecord> {
    const rec = (await this.records()).find((r) => r.id === id);
    if (!rec) throw errors.notFound(`Backup target '${id}' not found`);
    return rec;
  }

  /** The kind's entry, or the reason it cannot be used (licence → 403, missing → 503). */
  factory(kind: string, label = `Backup target type '${kind}'`): ExtensionEntry<BackupTargetFactory> {
    const entry = this.ctx.extensions.entries(backupTargets).find((e) => e.entryId === kind);
    if (!entry) throw errors.unavailable(`${label} is not provided by any active plugin`);
    if (!entry.available) {
      if (entry.tier && entry.reason?.startsWith('requires'))
        throw errors.licenseRequired(`${label} requires ${tierRequirementLabel(entry.tier)}`);
      throw errors.unavailable(`${label} is unavailable: ${entry.reason}`);
    }
    return entry;
  }

  /** Validate settings for a kind like API input (defaults applied); throws a 400 naming the field. */
  validate(factory: BackupTargetFactory, config: unknown, where = 'config'): Record<string, unknown> {
    let v = this.validators.get(factory.kind);
    if (!v)
      this.validators.set(
        factory.kind,
        (v = compileValidator<Record<string, unknown>>(factory.configSchema, { where })),
      );
    const parsed = v.parse(config);
    if (factory.kind === 'local') checkLocalDir(String(parsed.path), this.forbiddenDirs);
    return parsed;
  }

  /** Build (or reuse) the target with this id; errors say why it cannot be used. */
  async resolve(id: string): Promise<BackupTarget> {
    const rec = await this.record(id);
    if (rec.source === 'builtin') return this.cached(rec, () => new LocalTarget('local', 'server', this.backupDir));
    if (rec.problem) throw errors.unavailable(`Backup target '${id}' is misconfigured`).withAdminDetail(rec.problem);
    const entry = this.factory(rec.kind, `Backup target '${id}' (${rec.kind})`);
    return this.cached(rec, () => {
      try {
        const config = this.validate(
          entry.value,
          rec.settings(entry.value.secretFields),
          rec.source === 'config' ? `plugins.backups.targets(${id})` : 'config',
        );
        return entry.value.create({
          id,
          scope: rec.scope,
          ownerId: rec.ownerId,
          config,
          dataDir: this.ctx.settings.dataDir,
        });
      } catch (e) {
        throw errors
          .unavailable(`Backup target '${id}' is misconfigured`)
          .withAdminDetail(isPanelError(e) ? e.messageFor({ role: 'admin' }) : (e as Error).message);
      }
    });
  }

  private cached(rec: TargetRecord, make: () => BackupTarget): BackupTarget {
    let t = this.built.get(rec.id);
    if (!t) this.built.set(rec.id, (t = make()));
    return t;
  }

  /** Forget a built target (after delete) and release it. */
  async evict(id: string): Promise<void> {
    const t = this.built.get(id);
    this.built.delete(id);
    await t?.close?.();
  }

  async view(rec: TargetRecord): Promise<TargetView> {
    // A config file may (wrongly) hold a secret: never answer a field the kind calls secret, nor
    // anything of a kind no plugin describes.
    const kind = this.ctx.extensions.entries(backupTargets).find((e) => e.entryId === rec.kind);
    const secret = rec.source === 'builtin' ? [] : kind?.value.secretFields;
    const config = secret
      ? Object.fromEntries(Object.entries(rec.publicConfig).filter(([k]) => !secret.includes(k)))
      : {};
    let reason = rec.problem;
    let name: string | null = rec.kind === 'local' ? 'Local directory' : null;
    if (!reason && rec.source !== 'builtin') {
      try {
        const factory = this.factory(rec.kind).value;
        name = factory.name;
        if (rec.source === 'config')
          this.validate(factory, rec.settings(factory.secretFields), `plugins.backups.targets(${rec.id})`);
      } catch (e) {
        reason = (e as Error).message;
      }
    }
    return {
      id: rec.id,
      type: rec.kind,
      name,
      scope: rec.scope,
      owner_id: rec.ownerId,
      source: rec.source,
      remote: rec.kind !== 'local',
      available: !reason,
      reason,
      config,
      created_at: rec.createdAt,
    };
  }

  /** Whether backups of `account` may be stored on a target. */
  usableFor(rec: Pick<TargetRecord, 'scope' | 'ownerId'>, account: Pick<AccountInfo, 'id' | 'reseller_id'>): boolean {
    return (
      rec.scope === 'server' ||
      (rec.scope === 'reseller' ? rec.ownerId === account.reseller_id : rec.ownerId === account.id)
    );
  }

  /** Whether a principal may see a target in listings. */
  visibleTo(rec: Pick<TargetRecord, 'scope' | 'ownerId'>, p: Principal): boolean {
    if (p.role === 'admin' || rec.scope === 'server') return true;
    if (rec.scope === 'reseller') return rec.ownerId === (p.role === 'reseller' ? p.userId : p.resellerId);
    return p.role === 'user' && p.subject === `account:${rec.ownerId}`;
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.built.keys()]) await this.evict(id);
  }
}
