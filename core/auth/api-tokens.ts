import { createHash, randomBytes } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { Knex } from 'knex';
import { errors } from '../errors.js';
import { pageOf, type ListPage } from '../lists/list-page.js';
import type { ListParams, ListSpec } from '../lists/list-query.js';
import { insertId, stamp } from './rows.js';

/** Every API token starts with this, so the authenticator can tell it from a session JWT. */
export const API_TOKEN_PREFIX = 'vpt_';

/** An API token as stored (the secret itself is never stored, only its SHA-256). */
export interface ApiTokenRecord {
  id: number;
  user_id: number;
  name: string;
  prefix: string;
  scopes: string[];
  allowed_ips: string[] | null;
  expires_at: string | null;
  created_at: string;
  last_used_at: string | null;
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Parse an IP allow-list (addresses and CIDR ranges); a bad entry is a 400 naming it. */
export function compileAllowList(entries: string[], field = 'allowed_ips'): BlockList {
  const list = new BlockList();
  entries.forEach((entry, i) => {
    const [addr = '', bits, extra] = entry.split('/');
    const family = isIP(addr);
    const max = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max)))
      throw errors.validation(`${field}.${i}: '${entry.slice(0, 60)}' is not an IP address or CIDR range`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  });
  return list;
}

/** Whether a client address is inside an allow-list. */
export function ipAllowed(list: BlockList, ip: string): boolean {
  const family = isIP(ip);
  return family !== 0 && list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
}

/** Epoch ms of a stored `YYYY-MM-DD HH:MM:SS` (UTC) time. */
export function stampMs(value: string): number {
  return Date.parse(value.replace(' ', 'T') + 'Z');
}

function toRecord(row: any): ApiTokenRecord {
  return {
    id: Number(row.id),
    user_id: Number(row.user_id),
    name: row.name,
    prefix: row.prefix,
    scopes: JSON.parse(row.scopes),
    allowed_ips: row.allowed_ips ? JSON.parse(row.allowed_ips) : null,
    expires_at: row.expires_at ?? null,
    created_at: row.created_at,
    last_used_at: row.last_used_at ?? null,
  };
}

/** API tokens for automation: created once, stored hashed, listed and revoked by their owner. */
export class ApiTokenStore {
  constructor(
    private readonly knex: Knex,
    private readonly table: string,
  ) {}

  async create(
    userId: number,
    t: { name: string; scopes: string[]; expiresAt: Date | null; allowedIps: string[] | null },
  ): Promise<{ token: string; record: ApiTokenRecord }> {
    const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const row = {
      user_id: userId,
      name: t.name,
      token_hash: hashApiToken(token),
      prefix: token.slice(0, 12),
      scopes: JSON.stringify(t.scopes),
      allowed_ips: t.allowedIps ? JSON.stringify(t.allowedIps) : null,
      expires_at: t.expiresAt ? stamp(t.expiresAt) : null,
      created_at: stamp(),
      last_used_at: null,
    };
    const id = await insertId(this.knex, this.table, row);
    return { token, record: toRecord({ ...row, id }) };
  }

  async list(userId: number): Promise<ApiTokenRecord[]> {
    return (await this.knex(this.table).where({ user_id: userId }).orderBy('id')).map(toRecord);
  }

  /** One page of a user's tokens (only theirs are counted). */
  async page(userId: number, spec: ListSpec, params: ListParams): Promise<ListPage<ApiTokenRecord>> {
    return (await pageOf(this.knex(this.table).where({ user_id: userId }), spec, params)).map(toRecord);
  }

  async get(id: number): Promise<ApiTokenRecord | null> {
    const row = await this.knex(this.table).where({ id }).first();
    return row ? toRecord(row) : null;
  }

  async byToken(token: string): Promise<ApiTokenRecord | null> {
    const row = await this.knex(this.table)
      .where({ token_hash: hashApiToken(token) })
      .first();
    return row ? toRecord(row) : null;
  }

  async remove(id: number): Promise<void> {
    await this.knex(this.table).where({ id }).delete();
  }

  async touch(id: number): Promise<void> {
    await this.knex(this.table).where({ id }).update({ last_used_at: stamp() });
  }
}
