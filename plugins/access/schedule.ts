import { errors } from '../../sdk/index.js';

// `@reboot` is left out: it runs at every start of cron, outside any schedule a plan can count.
const MACROS: Record<string, string> = {
  '@yearly': 'once a year (1 January, 00:00)',
  '@annually': 'once a year (1 January, 00:00)',
  '@monthly': 'once a month (the 1st, 00:00)',
  '@weekly': 'once a week (Sunday, 00:00)',
  '@daily': 'once a day (00:00)',
  '@midnight': 'once a day (00:00)',
  '@hourly': 'once an hour (minute 0)',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: string[];
  nameBase?: number;
}
const FIELDS: FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, nameBase: 0 },
];

function value(s: string, f: FieldRule, where: string): number {
  const i = f.names?.indexOf(s.toLowerCase()) ?? -1;
  const n = i >= 0 ? i + f.nameBase! : /^\d{1,2}$/.test(s) ? Number(s) : NaN;
  if (!(n >= f.min && n <= f.max))
    throw errors.validation(
      `${where}: ${f.name} ${JSON.stringify(s)} must be ${f.min}–${f.max}${f.names ? ' or a name such as ' + f.names[0] : ''}`,
    );
  return n;
}

/** Check one field the way cron reads it: lists of `*`, `a`, `a-b`, each with an optional `/step`. */
function checkField(text: string, f: FieldRule, where: string): void {
  if (text.length > 100) throw errors.validation(`${where}: ${f.name} is too long`);
  for (const part of text.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d{1,2}))?$/.exec(part);
    if (!m)
      throw errors.validation(
        `${where}: ${f.name} ${JSON.stringify(part)} is not a cron field (use *, 5, 1-5, */15 or lists of them)`,
      );
    if (m[2] !== undefined && !(Number(m[2]) >= 1 && Number(m[2]) <= f.max))
      throw errors.validation(`${where}: ${f.name} step /${m[2]} must be 1–${f.max}`);
    if (m[1] === '*') continue;
    const [a, b] = m[1]!.split('-');
    const lo = value(a!, f, where);
    if (b !== undefined && value(b, f, where) < lo)
      throw errors.validation(`${where}: ${f.name} range ${m[1]} runs backwards`);
  }
}

/**
 * Validate a schedule: five fields separated by single spaces, or a macro such as `@daily`.
 * Returns it normalised (single spaces). Only `[A-Za-z0-9*,/@ -]` can pass, so nothing in a
 * schedule can end the line, start a variable (`=`) or reach the command (`%`).
 */
export function parseSchedule(input: string, where = 'schedule'): string {
  const s = input.trim();
  if (!/^[A-Za-z0-9*,/@ -]{1,100}$/.test(s))
    throw errors.validation(
      `${where}: must be five cron fields (such as "*/15 * * * *") or @hourly, @daily, @weekly, @monthly, @yearly`,
    );
  if (s.startsWith('@')) {
    if (!MACROS[s])
      throw errors.validation(`${where}: ${s} is not allowed (use @hourly, @daily, @weekly, @monthly or @yearly)`);
    return s;
  }
  const parts = s.split(/ +/);
  if (parts.length !== 5)
    throw errors.validation(
      `${where}: must have exactly five fields (minute hour day-of-month month day-of-week), not ${parts.length}`,
    );
  parts.forEach((p, i) => checkField(p, FIELDS[i]!, where));
  return parts.join(' ');
}

function list(text: string, f: FieldRule, show: (n: number) => string): string {
  return text
    .split(',')
    .map((p) => {
      const [range, step] = p.split('/');
      const r =
        range === '*'
          ? `every ${f.name}`
          : range!
              .split('-')
              .map((x) => show(value(x, f, f.name)))
              .join(' to ');
      return step
        ? `every ${step} ${f.name === 'day of week' ? 'days' : f.name + 's'}${range === '*' ? '' : ` from ${r}`}`
        : r;
    })
    .join(', ');
}

/** A plain-English reading of a valid schedule, e.g. `*\/15 * * * *` → "every 15 minutes". */
export function describeSchedule(schedule: string): string {
  if (MACROS[schedule]) return MACROS[schedule]!;
  const [min, hour, dom, mon, dow] = schedule.split(' ') as [string, string, string, string, string];
  const pad = (n: number) => String(n).padStart(2, '0');
  let when: string;
  if (/^\d+$/.test(min) && /^\d+$/.test(hour)) when = `at ${pad(Number(hour))}:${pad(Number(min))}`;
  else if (min === '*' && hour === '*') when = 'every minute';
  else if (/^\*\/\d+$/.test(min) && hour === '*') when = `every ${min.slice(2)} minutes`;
  else if (hour === '*') when = `at minute ${list(min, FIELDS[0]!, String)} of every hour`;
  else when = `at minute ${list(min, FIELDS[0]!, String)} past hour ${list(hour, FIELDS[1]!, String)}`;
  const days: string[] = [];
  if (dom !== '*') days.push(`on day ${list(dom, FIELDS[2]!, String)} of the month`);
  if (dow !== '*') days.push(`on ${list(dow, FIELDS[4]!, (n) => DAY_NAMES[n]!)}`);
  // cron runs a job when either day field matches once both are restricted
  const day = days.join(' or ');
  const month = mon === '*' ? '' : ` in ${list(mon, FIELDS[3]!, (n) => MONTH_NAMES[n - 1]!)}`;
  return [when, day].filter(Boolean).join(', ') + month;
}
