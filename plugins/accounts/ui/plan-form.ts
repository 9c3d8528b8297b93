// Creating and changing a plan: its name (fixed once made), disk and bandwidth quotas, and the
// limits where empty means unlimited; PHP modes as checkboxes (none ticked = every mode). Saving
// an edit starts a job that sets the new limits on the plan's accounts.
import { api, button, field, form, h, notify, openDialog } from '../../ui/client/kit.js';
import type { Plan } from './plan-options.js';

const MODES = ['cgi', 'fpm', 'lsapi'];
const LIMITS: [keyof Plan, string, string][] = [
  ['inodes', 'Files (inodes)', ''],
  ['max_domains', 'Most domains', 'The primary domain counts.'],
  ['max_databases', 'Most databases', ''],
  ['cpu_percent', 'CPU %', '100 = one core.'],
  ['memory_mb', 'Memory (MB)', ''],
  ['max_processes', 'Most processes', ''],
];

/** Other plugins' settings: empty takes that plugin's own setting for the plan (`free`'s for a plan made here). */
const SETTINGS: [keyof Plan, string][] = [
  ['max_cron_jobs', 'Most cron jobs'],
  ['max_dns_records', 'Most DNS records'],
  ['php_workers', 'PHP workers'],
];
const SHELLS = [
  { value: '', label: "The access plugin's setting" },
  ...['nologin', 'sftp-only', 'full'].map((s) => ({ value: s, label: s })),
];

const num = (name: string, label: string, value: number | null | undefined, hint: string, required = false) =>
  field({
    name,
    label,
    type: 'number',
    required,
    inputmode: 'numeric',
    value: value === null || value === undefined ? '' : String(value),
    hint: hint || (required ? '' : 'Leave empty for unlimited.'),
  });

/** "" → null (unlimited); digits → the number; anything else is left for the API to refuse by name. */
function limit(value: string | undefined): number | string | null {
  const v = (value ?? '').trim();
  return v === '' ? null : /^\d+$/.test(v) ? Number(v) : v;
}

/** Open the create (no `p`) or edit dialog; `done` runs after a change was saved. */
export function planDialog(p: Plan | null, done: () => void): void {
  let close = () => undefined as void;
  const modes = h(
    'fieldset',
    { class: 'checks' },
    h('legend', null, 'PHP modes (none ticked: every mode)'),
    MODES.map((m) =>
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'checkbox', name: `php_${m}`, checked: p?.php_modes?.includes(m) ?? false }),
        ` ${m}`,
      ),
    ),
  );
  const fields = [
    p
      ? null
      : field({
          name: 'name',
          label: 'Name',
          required: true,
          autofocus: true,
          maxlength: 16,
          pattern: '[a-z][a-z0-9_\\-]{1,15}',
          hint: '2–16 lowercase letters, digits, _ or -. It cannot change later.',
        }),
    h(
      'div',
      { class: 'form-grid' },
      num('disk_quota_mb', 'Disk (MB)', p?.disk_quota_mb, '', true),
      num('bandwidth_quota_mb', 'Bandwidth (MB a month)', p?.bandwidth_quota_mb, '', true),
    ),
    h(
      'div',
      { class: 'form-grid' },
      LIMITS.map(([key, label, hint]) => num(key, label, p?.[key] as number | null | undefined, hint)),
    ),
    modes,
    h(
      'div',
      { class: 'form-grid' },
      field({ name: 'shell', label: 'Login shell', type: 'select', options: SHELLS, value: p?.shell ?? '' }),
      SETTINGS.map(([key, label]) =>
        num(key, label, p?.[key] as number | null | undefined, "Leave empty for the plugin's own setting."),
      ),
    ),
  ];
  const f = form(
    fields,
    p ? 'Save' : 'Create plan',
    async (v, el) => {
      const ticked = MODES.filter((m) => (el.elements.namedItem(`php_${m}`) as HTMLInputElement).checked);
      const body: Record<string, unknown> = {
        disk_quota_mb: limit(v.disk_quota_mb),
        bandwidth_quota_mb: limit(v.bandwidth_quota_mb),
        php_modes: ticked.length ? ticked : null,
      };
      for (const [key] of LIMITS) body[key] = limit(v[key]);
      // Sent only when the panel knows them (an older panel refuses unknown fields).
      if (p === null || 'php_workers' in p) {
        for (const [key] of SETTINGS) body[key] = limit(v[key]);
        body.shell = v.shell || null;
      }
      if (!p) body.name = v.name?.trim();
      const saved = await api<Plan & { job_id?: string }>(
        p ? 'PATCH' : 'POST',
        p ? `/api/plans/${p.id}` : '/api/plans',
        body,
      );
      close();
      notify(
        p
          ? `${saved.name} was saved; its accounts get the new limits (job ${saved.job_id}).`
          : `Plan ${saved.name} was created.`,
        'success',
      );
      done();
    },
    button('Cancel', { onClick: () => close() }),
  );
  close = openDialog(p ? `Change plan ${p.name}` : 'Create plan', f, { wide: true });
}
