// "Edit account": the contact email, the plan (its quotas and limits follow it), the usage against
// those quotas (read-only), and the admin's password reset. A refused value shows under its field.
import { api, describeError } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h } from '../base/dom.js';
import type { Account } from '../components/account-picker.js';
import { openDialog } from '../components/dialog.js';
import { planOptions } from '../components/plan-options.js';
import { field, form } from '../components/form.js';
import { button } from '../components/page.js';
import { notify } from '../components/toast.js';
import { passwordButton } from './account-password.js';
import { usageMeters } from './account-usage.js';

const EMAIL = '/api/accounts/{id}';
const PLAN = '/api/accounts/{id}/plan';

async function editDialog(a: Account, changed: () => void): Promise<void> {
  let close = () => undefined as void;
  const canEmail = hasRoute('PATCH', EMAIL);
  const canPlan = hasRoute('POST', PLAN);
  // The plans this account may move to: the admin's, and its reseller's own (the create form offers the same)
  let plans: { value: string; label: string }[] = [];
  try {
    if (canPlan) plans = await planOptions(a.reseller_id ?? null);
  } catch (e) {
    notify(describeError(e), 'error');
    return;
  }
  const reset = passwordButton(a, false);
  const f = form(
    [
      h(
        'div',
        { class: 'form-grid' },
        canEmail
          ? field({
              name: 'email',
              label: 'Contact email',
              type: 'email',
              required: true,
              value: a.email ?? '',
              autofocus: true,
            })
          : null,
        canPlan
          ? field({
              name: 'plan',
              label: 'Plan',
              type: 'select',
              required: true,
              options: plans,
              value: a.plan ?? 'free',
              hint: 'Quotas and CPU, memory and process limits follow the plan.',
            })
          : null,
      ),
      h(
        'section',
        { class: 'edit-usage', 'aria-label': 'Usage and quotas' },
        h('h3', null, 'Usage and quotas'),
        usageMeters(a),
      ),
      reset ? h('p', { class: 'edit-password' }, reset) : null,
    ],
    'Save changes',
    async (v) => {
      const said: string[] = [];
      // Each change on its own route; the email (a record only) goes first, the plan (limits on the system) after.
      if (canEmail && v.email !== undefined && v.email !== (a.email ?? '')) {
        await api('PATCH', `/api/accounts/${a.id}`, { email: v.email });
        a.email = v.email;
        said.push('contact email');
      }
      if (canPlan && v.plan !== undefined && v.plan !== a.plan) {
        await api('POST', `/api/accounts/${a.id}/plan`, { plan: v.plan });
        said.push('plan');
      }
      close();
      notify(
        said.length
          ? `The ${said.join(' and ')} of ${a.username} ${said.length > 1 ? 'were' : 'was'} changed.`
          : 'Nothing was changed.',
        said.length ? 'success' : 'info',
      );
      if (said.length) changed();
    },
    button('Cancel', { onClick: () => close() }),
  );
  close = openDialog(`Edit ${a.username}`, f, { wide: true });
}

/** The row action, or null when the API can change neither the email nor the plan, or the account is not settled. */
export function editButton(a: Account, changed: () => void): HTMLElement | null {
  if ((!hasRoute('PATCH', EMAIL) && !hasRoute('POST', PLAN)) || (a.status !== 'active' && a.status !== 'suspended'))
    return null;
  return button('Edit', { small: true, onClick: () => void editDialog(a, changed) });
}
