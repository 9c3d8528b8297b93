import { errors } from '../../sdk/index.js';

/** A plan's ceilings on the php.ini values its accounts may set; 0 means the plan sets no ceiling. */
export interface IniCaps {
  memoryMb: number;
  executionSecs: number;
  uploadMb: number;
}

/** The caps of `plan` (an unknown plan gets the free plan's). */
export function planCaps(table: Record<'free' | 'pro' | 'business', IniCaps>, plan: string): IniCaps {
  return Object.hasOwn(table, plan) ? table[plan as keyof typeof table] : table.free;
}

type Unit = 'size' | 'seconds';

/** Which cap bounds each directive, and which of its values mean "no limit" to PHP. */
const CAPPED: Record<string, { cap: keyof IniCaps; unit: Unit; unlimited: string[] }> = {
  memory_limit: { cap: 'memoryMb', unit: 'size', unlimited: ['-1'] },
  upload_max_filesize: { cap: 'uploadMb', unit: 'size', unlimited: ['0'] },
  post_max_size: { cap: 'uploadMb', unit: 'size', unlimited: ['0'] },
  max_execution_time: { cap: 'executionSecs', unit: 'seconds', unlimited: ['0'] },
  // -1 means "as max_execution_time", which is capped itself; 0 means no limit.
  max_input_time: { cap: 'executionSecs', unit: 'seconds', unlimited: ['0'] },
};

const MULTIPLIER: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** Bytes of a php.ini size (`512K`, `128M`, `1G`, or plain bytes), as PHP reads it. */
export function sizeBytes(value: string): number {
  const m = /^(-?[0-9]+)([KMG]?)$/i.exec(value.trim());
  if (!m) return NaN;
  return Number(m[1]) * (m[2] ? MULTIPLIER[m[2].toUpperCase()]! : 1);
}

/** How far over its cap a value is: null when within it, else the cap as PHP would write it. */
function overCap(key: string, value: string, caps: IniCaps): string | null {
  const rule = CAPPED[key];
  const cap = rule ? caps[rule.cap] : 0;
  if (!rule || cap <= 0) return null;
  const shown = rule.unit === 'size' ? `${cap}M` : String(cap);
  if (rule.unlimited.includes(value)) return shown;
  if (rule.unit === 'seconds') return Number(value) > cap ? shown : null;
  return sizeBytes(value) > cap * MULTIPLIER.M! ? shown : null;
}

/** The caps as the API shows them beside the settings: directive → highest value allowed, null when uncapped. */
export function capsView(caps: IniCaps): Record<string, string | null> {
  const shown = (key: string) => {
    const rule = CAPPED[key]!;
    const cap = caps[rule.cap];
    return cap <= 0 ? null : rule.unit === 'size' ? `${cap}M` : String(cap);
  };
  return Object.fromEntries(
    Object.keys(CAPPED)
      .sort()
      .map((k) => [k, shown(k)]),
  );
}

/**
 * Refuse (400) any validated setting above the plan's cap, "no limit" values (-1, 0) included, with
 * the cap in the message. Run after `validateIni`, so values already match their patterns.
 */
export function checkIniCaps(ini: Record<string, string>, caps: IniCaps, plan: string, where = 'settings'): void {
  for (const [key, value] of Object.entries(ini)) {
    const cap = overCap(key, value, caps);
    if (cap === null) continue;
    const unit = CAPPED[key]!.unit === 'seconds' ? ' seconds' : '';
    const what = CAPPED[key]!.unlimited.includes(value) ? `${value} (no limit)` : value;
    throw errors.validation(`${where}.${key}: ${what} exceeds the ${plan} plan's cap of ${cap}${unit}`, {
      key,
      cap: `${cap}${unit}`,
      plan,
    });
  }
}

/**
 * The settings with every value above its cap lowered to the cap: a row stored before a
 * downgrade, a lowered cap or an edit behind the panel's back never reaches the pool above it.
 */
export function clampIni(ini: Record<string, string>, caps: IniCaps): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(ini)) out[key] = overCap(key, value, caps) ?? value;
  return out;
}
