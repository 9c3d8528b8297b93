import type { PluginContext } from '../../../sdk/index.js';
import type { BackupsConfig } from '../config.js';

/** The outcome of a target's last "test connection", as the admin's listing shows it. */
export interface LastTest {
  at: string;
  ok: boolean;
  error: string | null;
}

/**
 * The last connection test of each target, kept in the panel store so every node (and the next
 * visit to the targets page) shows when a target last worked and why it last failed.
 */
export class TargetTests {
  constructor(private readonly ctx: PluginContext<BackupsConfig>) {}

  private get table(): string {
    return this.ctx.db.table('target_tests');
  }

  async record(target: string, result: { ok: boolean; error?: string | null }): Promise<void> {
    const row = {
      target,
      tested_at: new Date().toISOString(),
      ok: result.ok,
      error: result.ok ? null : (result.error ?? null),
    };
    await this.ctx.db.knex(this.table).insert(row).onConflict('target').merge();
  }

  async all(): Promise<Map<string, LastTest>> {
    const rows = await this.ctx.db.knex(this.table).select();
    return new Map(
      rows.map((r) => [String(r.target), { at: String(r.tested_at), ok: Boolean(r.ok), error: r.error ?? null }]),
    );
  }

  async forget(target: string): Promise<void> {
    await this.ctx.db.knex(this.table).where({ target }).delete();
  }
}
