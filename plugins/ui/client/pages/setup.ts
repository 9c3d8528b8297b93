// First run: create the administrator (once), then log in as it.
import { ApiError, api } from '../base/api.js';
import { h, mount } from '../base/dom.js';
import { navigate } from '../base/router.js';
import { login, setupState } from '../base/session.js';
import { field, form } from '../components/form.js';
import { notice } from '../components/page.js';
import { authCard } from './login.js';

export async function renderSetup(app: HTMLElement): Promise<void> {
  document.title = 'Set up · VeloPanel';
  const state = await setupState();
  if (state && !state.required) {
    mount(
      app,
      authCard(
        'Setup is complete',
        'This panel already has an administrator.',
        h('a', { href: '/login', class: 'btn btn-primary btn-block' }, 'Go to log in'),
      ),
    );
    return;
  }
  const fields = [
    field({
      name: 'username',
      label: 'Administrator username',
      required: true,
      value: 'admin',
      autocomplete: 'username',
      hint: '3–64 letters, digits, dots, dashes or underscores.',
    }),
    field({
      name: 'password',
      label: 'Password',
      type: 'password',
      required: true,
      minlength: 8,
      autocomplete: 'new-password',
      hint: 'At least 8 characters.',
    }),
    field({
      name: 'confirm',
      label: 'Repeat the password',
      type: 'password',
      required: true,
      minlength: 8,
      autocomplete: 'new-password',
    }),
    state?.codeRequired
      ? field({
          name: 'setup_code',
          label: 'Setup code',
          required: true,
          hint: 'Enter the code the panel wrote to its log and to the setup-code file in its data directory.',
        })
      : null,
  ];
  const f = form(fields, 'Create administrator', async (v) => {
    if (v.password !== v.confirm) throw new ApiError('The two passwords are different.', 400);
    const body: Record<string, string> = { username: v.username ?? '', password: v.password ?? '' };
    if (v.setup_code) body.setup_code = v.setup_code;
    await api('POST', '/api/auth/setup', body);
    await login(body.username!, body.password!);
    navigate('/', true);
  });
  f.classList.add('form-stacked');
  const intro =
    state === null
      ? notice('info', 'Could not check whether setup is still open; if it is complete, log in instead.')
      : null;
  mount(
    app,
    authCard(
      'Welcome to VeloPanel',
      'Create the administrator login to finish setting up this server.',
      intro,
      f,
      h('p', { class: 'auth-foot' }, h('a', { href: '/login' }, 'Already set up? Log in')),
    ),
  );
}
