// Creating an API token: a name, what it may do (per area: nothing, read, read and change),
// an optional expiry and IP allow-list; the token is then shown this once, to be copied.
import { api } from '../base/api.js';
import { tokenScopeAreas } from '../base/capabilities.js';
import { h, mount } from '../base/dom.js';
import { openDialog } from '../components/dialog.js';
import { field, form } from '../components/form.js';
import { button, notice } from '../components/page.js';
import { notify } from '../components/toast.js';

const LEVELS = [
  { value: '', label: 'No access' },
  { value: 'read', label: 'Read' },
  { value: '*', label: 'Read and change' },
];

/** One select per API area; `all` gives everything the login may do. */
function scopePicker(role: string): HTMLElement {
  const areas = [...tokenScopeAreas(role)];
  const rows = areas.map(([area, { write }]) =>
    h(
      'label',
      { class: 'scope-row' },
      h('span', null, area),
      h(
        'select',
        { name: `scope:${area}`, 'aria-label': `Access to ${area}` },
        (write ? LEVELS : LEVELS.slice(0, 2)).map((l) => h('option', { value: l.value }, l.label)),
      ),
    ),
  );
  const all = h('input', { type: 'checkbox', name: 'scope-all' });
  const grid = h('div', { class: 'scope-grid' }, rows);
  all.addEventListener('change', () => grid.classList.toggle('scope-grid-off', all.checked));
  return h(
    'fieldset',
    { class: 'field scope-field', 'data-api-field': 'scopes', tabindex: -1 },
    h('legend', null, 'What the token may do'),
    h('label', { class: 'check' }, all, ' Everything my login may do'),
    grid,
    h(
      'p',
      { class: 'hint' },
      'A token never has more rights than your login. Give it only the areas the script needs.',
    ),
  );
}

function scopesOf(el: HTMLFormElement): string[] {
  if ((el.elements.namedItem('scope-all') as HTMLInputElement | null)?.checked) return ['*'];
  return [...el.querySelectorAll<HTMLSelectElement>('select[name^="scope:"]')]
    .filter((s) => s.value)
    .map((s) => `${s.name.slice(6)}:${s.value}`);
}

/** The token, shown once, with a copy button. */
function shownOnce(token: string, close: () => void): HTMLElement {
  const copy = button('Copy', {
    small: true,
    onClick: () =>
      void navigator.clipboard?.writeText(token).then(
        () => notify('The token was copied.', 'success'),
        () => notify('Copying is not allowed here: select the token and copy it by hand.', 'error'),
      ),
  });
  return h(
    'div',
    { class: 'stack' },
    notice(
      'info',
      'Copy the token now and keep it somewhere safe: it is not shown again. Send it as "Authorization: Bearer <token>".',
      'Your new token',
    ),
    h('div', { class: 'token-once' }, h('code', { class: 'wrap-any', 'data-testid': 'new-token' }, token), copy),
    h('div', { class: 'form-actions' }, button('I have stored it', { kind: 'primary', onClick: close })),
  );
}

/** Open the create dialog; `created` runs once a token exists. */
export function createTokenDialog(role: string, created: () => void): void {
  let close = () => undefined as void;
  const body = h('div');
  const f = form(
    [
      field({
        name: 'name',
        label: 'Name',
        required: true,
        autofocus: true,
        maxlength: 100,
        placeholder: 'deploy script',
        hint: 'What the token is for, so you know which one to revoke.',
      }),
      scopePicker(role),
      h(
        'div',
        { class: 'form-grid' },
        field({
          name: 'expires_at',
          label: 'Expires on',
          type: 'text',
          placeholder: 'YYYY-MM-DD',
          hint: 'Leave empty for a token that does not expire.',
        }),
        field({
          name: 'allowed_ips',
          label: 'Allowed from',
          type: 'textarea',
          placeholder: '203.0.113.7\n2001:db8::/32',
          hint: 'IP addresses or ranges, one a line. Empty: from anywhere.',
        }),
      ),
    ],
    'Create token',
    async (v, el) => {
      const scopes = scopesOf(el);
      const ips = (v.allowed_ips ?? '').split(/[\s,]+/).filter(Boolean);
      const made = await api<{ token: string; name: string }>('POST', '/api/tokens', {
        name: v.name?.trim() ?? '',
        scopes,
        expires_at: v.expires_at?.trim() || null,
        allowed_ips: ips.length ? ips : null,
      });
      mount(
        body,
        shownOnce(made.token, () => close()),
      );
      created();
    },
    button('Cancel', { onClick: () => close() }),
  );
  (f.querySelector('input[name="expires_at"]') as HTMLInputElement).type = 'date';
  mount(body, f);
  close = openDialog('Create API token', body, { wide: true });
}
