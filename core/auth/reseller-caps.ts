import Type from 'typebox';
import { resellerCaps, type ResellerCap } from '../../sdk/points/reseller-caps.js';
import { errors } from '../errors.js';
import type { ModuleHost } from '../kernel-module.js';

/** The caps' fields come from the plugins' `reseller-caps` entries. */
type CapSource = Pick<ModuleHost, 'extensions'>;

/**
 * A reseller's caps are the plugins' (each `reseller-caps` entry owns one field, `max_<what>`):
 * the kernel's reseller routes take and show whichever fields the active plugins offer.
 */
export const CAP_FIELD = '^max_[a-z0-9_]{1,56}$';
const Cap = Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000 }), Type.Null()], {
  'x-error': 'must be a whole number from 0 to 1000000, or null for no cap',
});

/** Body schema properties for cap fields (validated by shape here, by name in {@link capsIn}). */
export const capProperties = { patternProperties: { [CAP_FIELD]: Cap } };

function entries(k: CapSource): [string, ResellerCap][] {
  return k.extensions
    .entries(resellerCaps)
    .filter((e) => e.available)
    .map((e) => [e.entryId, e.value]);
}

/** The cap fields of a request body; a field no active plugin offers is refused as unknown (400, nothing changed). */
export function capsIn(k: CapSource, body: Record<string, unknown>): Map<ResellerCap, number | null> {
  const offered = new Map(entries(k));
  const out = new Map<ResellerCap, number | null>();
  for (const [field, value] of Object.entries(body)) {
    if (!new RegExp(CAP_FIELD).test(field)) continue;
    const cap = offered.get(field);
    if (!cap) throw errors.validation(`${field}: unknown field`);
    out.set(cap, value as number | null);
  }
  return out;
}

/** Write caps of one reseller (`null`: none of its own). */
export async function writeCaps(caps: Map<ResellerCap, number | null>, resellerId: number): Promise<void> {
  for (const [cap, value] of caps) await cap.write(resellerId, value);
}

/** Remove every cap of a reseller being deleted. */
export async function forgetCaps(k: CapSource, resellerId: number): Promise<void> {
  for (const [, cap] of entries(k)) await cap.write(resellerId, null);
}

/** Each reseller's caps as response fields (`null`: no cap of its own), one read per plugin. */
export async function capsOf(k: CapSource, ids: number[]): Promise<Map<number, Record<string, number | null>>> {
  const out = new Map(ids.map((id) => [id, {} as Record<string, number | null>]));
  for (const [field, cap] of entries(k)) {
    const values = await cap.read(ids);
    for (const id of ids) out.get(id)![field] = values.get(id) ?? null;
  }
  return out;
}
