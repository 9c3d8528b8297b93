// Creating and changing a plan: its name (fixed once made), disk and bandwidth quotas, and the
// limits where empty means unlimited; PHP modes as checkboxes (none ticked = every mode). Saving
// an edit starts a job that sets the new limits on the plan's accounts.
import { api } from '../base/api.js';
import { h } from '../base/dom.js';
import { openDialog } from '../components/dialog.js';
import { field, form } from '../components/form.js';
import { button } from '../components/page.js';
import type { Plan } from '../components/plan-options.js';
import { notify } from '../components/toast.js';

const MODES = ['cgi', 'fpm', 'lsapi'];
const LIMITS: [keyof Plan, string, string][] = [
  ['inodes', 'Files (inodes)', ''],
  ['max_domains', 'Most domains', 'The primary domain counts.'],
  ['max_databases', 'Most databases', ''],
  ['cpu_percent', 'CPU %', '100 = one core.'],
  ['memory_mb', 'Memory (MB)', ''],
  ['max_processes', 'Most processes', ''],
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
