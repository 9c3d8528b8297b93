// Adding or changing a backup target (admin): a local directory, an S3 bucket or an SFTP server.
// Only the kinds whose plugin is active are offered. Secrets go to the API and are never put back
// into the page: an edit shows their fields empty, and an empty one keeps the stored secret.
import { api, field, formDialog, h, mount, notify, pluginActive, type Child } from '../../ui/client/kit.js';
import { KINDS, type TargetField, type TargetFlag, type TargetInfo, type TargetKind } from './backup-target-kinds.js';

/** A secret's field, always empty; an edit may keep it (left empty) or, when optional, remove it. */
function secretControl(f: TargetField, editing: TargetInfo | null): HTMLElement {
  const el = field({
    ...f,
    required: f.required && !editing,
    hint: editing ? 'Leave empty to keep the stored one.' : f.hint,
    value: '',
  });
  if (editing && !f.required)
    el.append(
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'checkbox', name: `clear_${f.name}` }),
        ` Remove the stored ${f.label.toLowerCase()}`,
      ),
    );
  return el;
}

function control(f: TargetField, editing: TargetInfo | null): HTMLElement {
  if (f.secret) return secretControl(f, editing);
  const stored = editing?.config?.[f.name];
  return field({ ...f, value: stored === undefined || stored === null ? '' : String(stored) });
}

function flag(f: TargetFlag, editing: TargetInfo | null): HTMLElement {
  const stored = editing?.config?.[f.name];
  return h(
    'div',
    { class: 'field' },
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'checkbox', name: f.name, checked: typeof stored === 'boolean' ? stored : f.default }),
      ` ${f.label}`,
    ),
    h('p', { class: 'hint' }, f.hint),
  );
}

function settings(kind: TargetKind, editing: TargetInfo | null): Child {
  return [...kind.fields.map((f) => control(f, editing)), ...kind.flags.map((f) => flag(f, editing))];
}

/**
 * The configuration sent: what the form says, over the target's other stored public settings (an
 * edit keeps what the form does not show). An empty field takes the API's default; an empty
 * secret is left out, which keeps the stored one, or sent as null to remove it. Secrets are sent
 * as typed (no trimming).
 */
function configOf(kind: TargetKind, v: Record<string, string>, base: Record<string, unknown>) {
  const config: Record<string, unknown> = { ...base };
  for (const f of kind.fields) {
    const value = f.secret ? (v[f.name] ?? '') : (v[f.name] ?? '').trim();
    if (value === '' && v[`clear_${f.name}`] === 'on') config[f.name] = null;
    else if (value === '') delete config[f.name];
    else config[f.name] = f.type === 'number' ? Number(value) : value;
  }
  for (const f of kind.flags) config[f.name] = v[f.name] === 'on';
  return config;
}

/** Open the add dialog (`editing` null) or the edit dialog of an API-made target; `saved` runs after a change. */
export function targetDialog(editing: TargetInfo | null, saved: () => void): void {
  const kinds = editing
    ? KINDS.filter((k) => k.type === editing.type)
    : KINDS.filter((k) => k.plugin === null || pluginActive(k.plugin));
  const first = kinds[0];
  if (!first) {
    notify(`The panel has no form for ${editing?.type ?? 'these'} targets.`, 'error');
    return;
  }
  const specific = h('div', { class: 'form-grid' }, settings(first, editing));
  const head = editing
    ? null
    : h(
        'div',
        { class: 'form-grid' },
        field({
          name: 'id',
          label: 'Name',
          required: true,
          maxlength: 40,
          placeholder: 'offsite',
          hint: 'Lowercase letters, digits, - or _.',
        }),
        field({
          name: 'type',
          label: 'Kind',
          type: 'select',
          options: kinds.map((k) => ({ value: k.type, label: k.label })),
          value: first.type,
          plain: true,
        }),
      );
  head?.querySelector('select')?.addEventListener('change', (e) => {
    const kind = kinds.find((k) => k.type === (e.target as HTMLSelectElement).value) ?? first;
    mount(specific, settings(kind, null));
  });
  formDialog(
    editing ? `Change backup target ${editing.id}` : 'Add a backup target',
    [head, specific],
    editing ? 'Save changes' : 'Add target',
    async (v, close) => {
      const kind = kinds.find((k) => k.type === (editing?.type ?? v.type)) ?? first;
      if (editing) {
        const config = configOf(kind, v, editing.config ?? {});
        await api('PATCH', `/api/backups/targets/${encodeURIComponent(editing.id)}`, { config });
        notify(`Backup target ${editing.id} was changed. Test its connection again.`, 'success');
      } else {
        const id = v.id?.trim();
        await api('POST', '/api/backups/targets', { id, type: kind.type, config: configOf(kind, v, {}) });
        notify(`Backup target ${id} was added. Test its connection before relying on it.`, 'success');
      }
      close();
      saved();
    },
    { wide: true },
  );
}
