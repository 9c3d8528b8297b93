import type { Knex } from 'knex';
import { stamp } from './rows.js';

/** A login's two-factor state as stored (the secret still sealed). */
export interface TwoFactorRow {
  user_id: number;
  secret: string;
  enabled: boolean;
  last_step: number | null;
  /** Keyed hashes of the recovery codes not yet used. */
  recovery: string[];
  created_at: string;
  enabled_at: string | null;
}

function normalise(row: any): TwoFactorRow | null {
  if (!row) return null;
  const { recovery_hashes, ...rest } = row;
  return {
    ...rest,
    user_id: Number(row.user_id),
    enabled: !!row.enabled,
    last_step: row.last_step == null ? null : Number(row.last_step),
    recovery: JSON.parse(recovery_hashes) as string[],
  };
}

/**
 * `core_user_2fa` and `core_auth_settings`. Every use of a code is a conditional update, so two
 * panel processes (or two parallel requests) can never both accept the same code.
 */
export class TwoFactorStore {
  constructor(
    private readonly knex: Knex,
    private readonly table: string,
    private readonly settings: string,
  ) {}

  async get(userId: number): Promise<TwoFactorRow | null> {
    return normalise(await this.knex(this.table).where({ user_id: userId }).first());
  }

  async isEnabled(userId: number): Promise<boolean> {
    return !!(await this.knex(this.table).where({ user_id: userId, enabled: true }).first('user_id'));
  }

  /** Start (or restart) enrolment with a new sealed secret; refused (false) once enabled. */
  async begin(userId: number, sealedSecret: string): Promise<boolean> {
    return this.knex.transaction(async (trx) => {
      const row = await trx(this.table).where({ user_id: userId }).first();
      if (row?.enabled) return false;
      if (row) await trx(this.table).where({ user_id: userId, enabled: false }).delete();
      await trx(this.table).insert({
        user_id: userId,
        secret: sealedSecret,
        enabled: false,
        last_step: null,
        recovery_hashes: '[]',
        created_at: stamp(),
        enabled_at: null,
      });
      return true;
    });
  }

  /** Turn a pending enrolment on with its recovery code hashes; false when it is not pending. */
  async enable(userId: number, recoveryHashes: string[]): Promise<boolean> {
    const n = await this.knex(this.table)
      .where({ user_id: userId, enabled: false })
      .update({ enabled: true, enabled_at: stamp(), recovery_hashes: JSON.stringify(recoveryHashes) });
    return n > 0;
  }

  async setRecovery(userId: number, recoveryHashes: string[]): Promise<void> {
    await this.knex(this.table)
      .where({ user_id: userId, enabled: true })
      .update({ recovery_hashes: JSON.stringify(recoveryHashes) });
  }

  /** Record a TOTP time step as used; false when this or a later step was used already (a replay). */
  async useStep(userId: number, step: number): Promise<boolean> {
    const n = await this.knex(this.table)
      .where({ user_id: userId })
      .andWhere((q) => q.whereNull('last_step').orWhere('last_step', '<', step))
      .update({ last_step: step });
    return n > 0;
  }

  /** Spend one recovery code (by its hash); false when it is not (or no longer) there. */
  async useRecovery(userId: number, hash: string): Promise<boolean> {
    const row = await this.get(userId);
    if (!row?.enabled || !row.recovery.includes(hash)) return false;
    const left = row.recovery.filter((h) => h !== hash);
    // Only if nobody spent a code meanwhile: the list we read is still the stored one.
    const n = await this.knex(this.table)
      .where({ user_id: userId, recovery_hashes: JSON.stringify(row.recovery) })
      .update({ recovery_hashes: JSON.stringify(left) });
    return n > 0;
  }

  /** Forget a login's two-factor state (disable, admin reset); whether there was any. */
  async remove(userId: number, db: Knex = this.knex): Promise<boolean> {
    return (await db(this.table).where({ user_id: userId }).delete()) > 0;
  }

  async setting(name: string): Promise<string | null> {
    const row = await this.knex(this.settings).where({ name }).first('value');
    return row ? String(row.value) : null;
  }

  async setSetting(name: string, value: string): Promise<void> {
    await this.knex.transaction(async (trx) => {
      await trx(this.settings).where({ name }).delete();
      await trx(this.settings).insert({ name, value, updated_at: stamp() });
    });
  }
}
