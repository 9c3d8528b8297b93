import {
  accountDirectory,
  accountRef,
  errors,
  type AccountInfo,
  type ApiRequest,
  type OwnedResource,
  type PluginContext,
} from '../../sdk/index.js';

/** An account the plugin has backed up, remembered so its backups stay reachable after a delete. */
export interface KnownAccount {
  id: number;
  username: string;
  reseller_id: number | null;
  /** The account's never-reused identity; null for one backed up before identities existed. */
  identity: string | null;
}

/**
 * Accounts as backups see them: live ones from the accounts plugin's directory, and deleted
 * ones from the plugin's own record of every account it backed up (username and reseller), so
 * `GET`/`POST …/restore` keep working for an account that no longer exists.
 */
export class BackupAccounts {
  constructor(private readonly ctx: PluginContext) {}

  private get table(): string {
    return this.ctx.db.table('accounts');
  }

  /** The live account, or null when it does not exist (503 when the accounts plugin is not active). */
  async live(id: number): Promise<AccountInfo | null> {
    return this.ctx.services.get(accountDirectory).get(id);
  }

  async remember(a: AccountInfo): Promise<void> {
    const row = {
      account_id: a.id,
      username: a.username,
      reseller_id: a.reseller_id,
      identity: a.identity ?? null,
      updated_at: new Date().toISOString(),
    };
    await this.ctx.db.knex(this.table).insert(row).onConflict('account_id').merge();
  }

  async known(id: number): Promise<KnownAccount | null> {
    const row = await this.ctx.db.knex(this.table).where({ account_id: id }).first();
    return row
      ? {
          id,
          username: String(row.username),
          reseller_id: row.reseller_id === null ? null : Number(row.reseller_id),
          identity: row.identity ?? null,
        }
      : null;
  }

  /** The live account or what is known of a deleted one; 404 when neither. */
  async find(id: number): Promise<{ live: AccountInfo | null; known: KnownAccount }> {
    const live = await this.live(id);
    if (live)
      return {
        live,
        known: { id, username: live.username, reseller_id: live.reseller_id, identity: live.identity ?? null },
      };
    const known = await this.known(id);
    if (!known) throw errors.notFound(`Account ${id} not found`);
    return { live: null, known };
  }

  /** Route ownership: the live account's owner, or the recorded owner of a deleted one. */
  async owner(req: ApiRequest): Promise<OwnedResource | null> {
    const id = Number(req.params.id);
    const own = await this.ctx.services.get(accountDirectory).owner(id);
    if (own) return own;
    const known = await this.known(id);
    return known ? { ref: accountRef(id), resellerId: known.reseller_id } : null;
  }
}
