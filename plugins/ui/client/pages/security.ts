// Security: your own two-factor login (enrol with a QR code and a first code, recovery codes
// shown once, new codes, turn off), and for admins which roles must use it.
import { viewingAsNotice } from '../shell/viewing-as.js';
import { api, ApiError } from '../base/api.js';
import { hasRoute } from '../base/capabilities.js';
import { h, mount } from '../base/dom.js';
import { asyncSection } from '../components/async-section.js';
import { field, form } from '../components/form.js';
import { badge, card, definitionList, notice, pageHeader } from '../components/page.js';
import { notify } from '../components/toast.js';
import { EVERYONE, type PageDef, type PageContext } from '../shell/types.js';

interface Status {
  enabled: boolean;
  pending: boolean;
  recovery_codes_left: number | null;
  required: boolean;
}

const codeField = (label = 'Code from the app') =>
  field({
    name: 'code',
    label,
    required: true,
    autocomplete: 'one-time-code',
    inputmode: 'numeric',
    maxlength: 32,
    hint: 'A 6-digit code, or one of your recovery codes.',
  });
const passwordField = () =>
  field({
    name: 'password',
    label: 'Your password',
    type: 'password',
    required: true,
    autocomplete: 'current-password',
  });

/** Recovery codes are shown this once; the panel keeps only their hashes. */
function recoveryCodes(codes: string[], then: () => void): HTMLElement {
  return h(
    'div',
    { class: 'stack' },
    notice(
      'info',
      'Store these recovery codes somewhere safe now: each logs you in once if you lose your device, and they are not shown again.',
      'Recovery codes',
    ),
    h(
      'ul',
      { class: 'recovery-codes', 'data-testid': 'recovery-codes' },
      codes.map((c) => h('li', null, h('code', null, c))),
    ),
    h('button', { type: 'button', class: 'btn btn-primary', onclick: then }, 'I have stored them'),
  );
}

/** The QR code as a blob: URL (the one way the UI puts an image in an <img>; an SVG there runs no script). */
function qrImage(dataUrl: string): HTMLElement {
  const svgText = atob(dataUrl.replace(/^data:image\/svg\+xml;base64,/, ''));
  const src = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  return h('img', {
    src,
    alt: 'QR code of the two-factor secret',
    width: 200,
    height: 200,
    class: 'qr-code',
    'data-testid': 'totp-qr',
  });
}

/** Enrol: the password, then the secret (QR code and text), then a first code. */
function enrolment(target: HTMLElement, ctx: PageContext): HTMLElement {
  return form(passwordField(), 'Set up two-factor login', async (v) => {
    const s = await api<{ secret: string; otpauth_uri: string; qr_svg_data_url: string }>(
      'POST',
      '/api/auth/2fa/setup',
      { password: v.password },
    );
    const confirm = form(codeField('First code from the app'), 'Turn on', async (c) => {
      const done = await api<{ recovery_codes: string[] }>('POST', '/api/auth/2fa/confirm', {
        code: (c.code ?? '').trim(),
      });
      notify('Two-factor login is on.', 'success');
      mount(
        target,
        recoveryCodes(done.recovery_codes, () => ctx.navigate('/security')),
      );
    });
    mount(
      target,
      h(
        'div',
        { class: 'stack' },
        h(
          'p',
          null,
          'Scan this QR code with an authenticator app (or type the secret into it), then enter the code it shows.',
        ),
        qrImage(s.qr_svg_data_url),
        definitionList([['Secret', h('code', { 'data-testid': 'totp-secret' }, s.secret)]]),
        confirm,
      ),
    );
  });
}

function enabledActions(target: HTMLElement, ctx: PageContext): HTMLElement {
  const renew = form(codeField(), 'New recovery codes', async (v) => {
    const done = await api<{ recovery_codes: string[] }>('POST', '/api/auth/2fa/recovery-codes', {
      code: (v.code ?? '').trim(),
    });
    mount(
      target,
      recoveryCodes(done.recovery_codes, () => ctx.navigate('/security')),
    );
  });
  const off = form([passwordField(), codeField()], 'Turn off two-factor login', async (v) => {
    await api('POST', '/api/auth/2fa/disable', { password: v.password, code: (v.code ?? '').trim() });
    notify('Two-factor login is off.', 'success');
    ctx.rerender();
  });
  return h('div', { class: 'grid grid-2' }, card('Recovery codes', renew), card('Turn off', off));
}

async function ownCard(ctx: PageContext): Promise<HTMLElement> {
  const s = await api<Status>('GET', '/api/auth/2fa');
  const body = h('div', { class: 'stack' });
  const state = s.enabled ? badge('on', 'ok') : badge('off', s.required ? 'danger' : 'muted');
  const facts = definitionList([
    ['Two-factor login', state],
    ...(s.enabled ? [['Recovery codes left', String(s.recovery_codes_left ?? 0)] as [string, string]] : []),
  ]);
  const required =
    s.required && !s.enabled
      ? notice('error', 'Your role requires two-factor login: set it up to use the panel.', 'Required')
      : null;
  mount(body, required, facts, s.enabled ? enabledActions(body, ctx) : enrolment(body, ctx));
  return card('Two-factor login', body);
}

async function policyCard(): Promise<HTMLElement> {
  const p = await api<{ require_for: string[] }>('GET', '/api/auth/2fa/policy');
  const box = (role: string, label: string) =>
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'checkbox', name: role, checked: p.require_for.includes(role) }),
      ` ${label}`,
    );
  const f = form(
    [box('admin', 'Require for admins'), box('reseller', 'Require for resellers')],
    'Save',
    async (_v, el) => {
      const roles = ['admin', 'reseller'].filter((r) => (el.elements.namedItem(r) as HTMLInputElement).checked);
      await api('PUT', '/api/auth/2fa/policy', { require_for: roles });
      notify('Saved.', 'success');
    },
  );
  return card(
    'Policy',
    h(
      'div',
      { class: 'stack' },
      h(
        'p',
        { class: 'hint' },
        'Logins of a required role that have not set it up may only set it up. API tokens are not affected.',
      ),
      f,
    ),
  );
}

export const securityPage: PageDef = {
  path: '/security',
  title: 'Security',
  roles: EVERYONE,
  nav: { label: 'Security', icon: 'shield', section: 'panel', order: 15 },
  render(ctx) {
    const viewing = viewingAsNotice(ctx.session, 'two-factor login');
    if (viewing) {
      ctx.root.append(pageHeader('Security', 'Two-factor login.'), viewing);
      return;
    }
    if (!hasRoute('GET', '/api/auth/2fa')) {
      ctx.root.append(
        pageHeader('Security', 'Two-factor login.'),
        notice('unavailable', 'Not available: this panel has no two-factor login.'),
      );
      return;
    }
    const own = asyncSection(() => ownCard(ctx));
    const policy =
      ctx.session.role === 'admin'
        ? asyncSection(async () => {
            try {
              return await policyCard();
            } catch (e) {
              if (e instanceof ApiError && e.status === 403) return null;
              throw e;
            }
          })
        : null;
    ctx.root.append(
      pageHeader('Security', 'Two-factor login with an authenticator app (TOTP).'),
      h('div', { class: 'stack' }, own, policy),
    );
  },
};
