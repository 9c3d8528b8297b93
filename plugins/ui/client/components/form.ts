// Forms: labelled fields, a busy state while the API works, and the API's error in words.
import { describeError } from '../base/api.js';
import { h, uid, type Child } from '../base/dom.js';
import { clearFieldErrors, showFieldError } from './field-errors.js';

/** One form field. */
export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'password' | 'email' | 'number' | 'select' | 'textarea' | 'file';
  value?: string;
  required?: boolean;
  placeholder?: string;
  hint?: string;
  /** Choices of a select; a `disabled` one is shown but cannot be chosen. */
  options?: { value: string; label: string; disabled?: boolean }[];
  autocomplete?: string;
  pattern?: string;
  minlength?: number;
  maxlength?: number;
  inputmode?: string;
  autofocus?: boolean;
  /** Leave out the "(optional)" mark of a field that is not required. */
  plain?: boolean;
  /** The API's name of the field when it differs from `name` (its 400 errors then show here). */
  apiField?: string;
}

/** A labelled control with its hint. */
export function field(spec: FieldSpec): HTMLElement {
  const id = uid(spec.name);
  const hintId = spec.hint ? `${id}-hint` : undefined;
  const common = {
    id,
    name: spec.name,
    required: spec.required,
    'aria-describedby': hintId,
    autofocus: spec.autofocus,
    'data-api-field': spec.apiField,
  };
  let control: HTMLElement;
  if (spec.type === 'select') {
    const select = h(
      'select',
      common,
      (spec.options ?? []).map((o) => h('option', { value: o.value, disabled: o.disabled }, o.label)),
    );
    if (spec.value !== undefined) select.value = spec.value;
    control = select;
  } else if (spec.type === 'textarea') {
    const area = h('textarea', { ...common, rows: 8, placeholder: spec.placeholder, spellcheck: 'false' });
    area.value = spec.value ?? '';
    control = area;
  } else {
    const input = h('input', {
      ...common,
      type: spec.type ?? 'text',
      placeholder: spec.placeholder,
      autocomplete: spec.autocomplete ?? 'off',
      pattern: spec.pattern,
      minlength: spec.minlength,
      maxlength: spec.maxlength,
      inputmode: spec.inputmode,
    });
    input.value = spec.value ?? '';
    control = input;
  }
  return h(
    'div',
    { class: 'field' },
    h(
      'label',
      { for: id },
      spec.label,
      spec.required || spec.plain ? null : h('span', { class: 'optional' }, ' (optional)'),
    ),
    control,
    spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null,
  );
}

/** The values of a form's named controls, as strings. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new FormData(form).entries()) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * A form whose submit runs `work`; the submit button shows progress, and a failure shows the
 * API's message under the field it names, or else above the buttons. Resolves nothing: `work` decides what happens next.
 */
export function form(
  fields: Child,
  submitLabel: string,
  work: (values: Record<string, string>, form: HTMLFormElement) => Promise<void>,
  extra: Child = null,
): HTMLFormElement {
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, submitLabel);
  const el = h(
    'form',
    { class: 'form', novalidate: false },
    fields,
    error,
    h('div', { class: 'form-actions' }, submit, extra),
  );
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submit.disabled) return;
    error.hidden = true;
    clearFieldErrors(el);
    submit.disabled = true;
    submit.classList.add('busy');
    try {
      await work(formValues(el), el);
    } catch (err) {
      if (showFieldError(el, err)) return;
      error.textContent = describeError(err);
      error.hidden = false;
    } finally {
      submit.disabled = false;
      submit.classList.remove('busy');
    }
  });
  return el;
}
