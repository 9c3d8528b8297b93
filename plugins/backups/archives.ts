import type { PluginContext, Principal } from '../../sdk/index.js';
import type { KnownAccount } from './accounts.js';
import { parseBackupFileName } from './names.js';

/** Who made an archive: the account id and, for archives made since identities exist, its identity. */
export interface ArchiveOwner {
  account_id: number;
  identity: string | null;
}

/** An account as archives are matched against it. */
export type ArchiveAccount = Pick<KnownAccount, 'id' | 'identity'>;

/**
 * Whether the archive was made by this account. The identity decides when both sides have one
 * (a restore that brought the deleted account back carries it, under a new id); otherwise the
 * account id, which is never reused either.
 */
export function madeBy(owner: ArchiveOwner, account: ArchiveAccount): boolean {
  if (owner.identity && account.identity) return owner.identity === account.identity;
  return owner.account_id === account.id;
}

/**
 * Whether a principal may see (list, delete, restore) an archive in an account's listing: one the
 * account made, or — admins only — one whose maker the panel does not know (an archive made before
 * archives were recorded, a file another panel or anyone else put on a shared target). Schedules
 * (no principal) act only on what the account made.
 */
export function mayReach(owner: ArchiveOwner | null, account: ArchiveAccount, p: Principal | null): boolean {
  return owner ? madeBy(owner, account) : p?.role === 'admin';
}

/**
 * The plugin's record of every archive it made (`archives`: target, file, account id and
 * identity). Names alone prove nothing: a username is reused once its account is deleted, and
 * anyone who can write to a shared target can name a file anything.
 */
export class ArchiveRecords {
  constructor(private readonly ctx: PluginContext) {}

  private get table(): string {
    return this.ctx.db.table('archives');
  }

  async record(target: string, filename: string, owner: ArchiveOwner, createdAt: Date): Promise<void> {
    const row = {
      target,
      filename,
      account_id: owner.account_id,
      identity: owner.identity,
      created_at: createdAt.toISOString(),
    };
    await this.ctx.db.knex(this.table).insert(row).onConflict(['target', 'filename']).merge();
  }

  async forget(target: string, filename: string): Promise<void> {
    await this.ctx.db.knex(this.table).where({ target, filename }).delete();
  }

  /**
   * The makers of the named backups on a target, as recorded (null: unknown — made before archives
   * were recorded, by another panel sharing the target, or by nobody the panel knows).
   */
  async owners(target: string, username: string, filenames: string[]): Promise<Map<string, ArchiveOwner | null>> {
    const rows = await this.ctx.db.knex(this.table).where({ target }).andWhere('filename', 'like', `${username}-%`);
    const recorded = new Map<string, ArchiveOwner>(
      rows.map((r) => [String(r.filename), { account_id: Number(r.account_id), identity: r.identity ?? null }]),
    );
    return new Map(filenames.map((name) => [name, recorded.get(name) ?? null]));
  }

  async owner(target: string, filename: string): Promise<ArchiveOwner | null> {
    const username = parseBackupFileName(filename)?.username;
    return username ? ((await this.owners(target, username, [filename])).get(filename) ?? null) : null;
  }
}
