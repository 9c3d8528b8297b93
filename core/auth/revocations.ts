import type { Knex } from 'knex';
import { isUniqueViolation } from './rows.js';

/**
 * Session tokens ended before their expiry (logout). Kept in the store so every panel process
 * sharing it refuses them; rows go once the token would have expired anyway.
 */
export class RevokedSessions {
  constructor(
    private readonly knex: Knex,
    private readonly table: string,
  ) {}

  async revoke(jti: string, userId: number, expires: number): Promise<void> {
    const now = Date.now();
    await this.knex(this.table).where('expires_at', '<', now).delete();
    try {
      await this.knex(this.table).insert({ jti, user_id: userId, expires_at: expires });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
  }

  async isRevoked(jti: string): Promise<boolean> {
    return !!(await this.knex(this.table).where({ jti }).first());
  }
}
