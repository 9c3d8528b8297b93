// Numbers and dates as people read them.

/** 1536 → "1.5 KB". */
export function formatBytes(bytes: unknown): string {
  const n = Number(bytes);
  if (!Number.isFinite(n) || n < 0) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/**
 * Byte counts inside a job's message, for people: "3040870 of about 203423744 bytes written" →
 * "2.9 MB of about 194 MB written"; other text is left as it is.
 */
export function humaniseBytes(text: string): string {
  return text
    .replace(
      /\b(\d+) of (about )?(\d+) bytes\b/g,
      (_m, a: string, about: string | undefined, b: string) => `${formatBytes(a)} of ${about ?? ''}${formatBytes(b)}`,
    )
    .replace(/\b(\d+) bytes\b/g, (_m, a: string) => formatBytes(a));
}

/** Megabytes (as the API counts them) → "1.2 GB". */
export function formatMb(mb: unknown): string {
  const n = Number(mb);
  return Number.isFinite(n) ? formatBytes(n * 1024 * 1024) : '—';
}

/** An API timestamp ("2026-02-28 15:44:05" or ISO) → local date and time. */
export function formatDate(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = String(value);
  const d = new Date(/^\d{4}-\d{2}-\d{2} \d/.test(text) ? text.replace(' ', 'T') + 'Z' : text);
  if (Number.isNaN(d.getTime())) return text;
  return d.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

/** Seconds → "3 d 4 h" / "5 h 12 min" / "42 min". */
export function formatDuration(secs: unknown): string {
  const s = Number(secs);
  if (!Number.isFinite(s) || s < 0) return '—';
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${m} min`;
  return `${m} min`;
}

/** used of total → 0–100 (0 when the total is unknown or unlimited). */
export function percent(used: unknown, total: unknown): number {
  const u = Number(used);
  const t = Number(total);
  if (!Number.isFinite(u) || !Number.isFinite(t) || t <= 0) return 0;
  return Math.max(0, Math.min(100, (u / t) * 100));
}

/** A limit that may be unlimited (null). */
export function formatLimit(limit: unknown): string {
  return limit === null || limit === undefined ? 'unlimited' : String(limit);
}

/** Whole days from now until a date (negative when past); null when unknown. */
export function daysUntil(value: unknown): number | null {
  if (!value) return null;
  const t = new Date(String(value)).getTime();
  return Number.isNaN(t) ? null : Math.floor((t - Date.now()) / 86_400_000);
}

/** "1 account" / "3 accounts". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
