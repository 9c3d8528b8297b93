// A refused field's message next to the field itself. The API's 400 messages start with the field
// they are about (`expires_at: must be a future …`, `allowed_ips.1: '10.0.0' is not …`); when the
// form has a control of that name (or one marked `data-api-field`), the words go under it.
import { ApiError } from '../base/api.js';
import { h } from '../base/dom.js';

const FIELD_MESSAGE = /^([a-z_][a-z0-9_]*)((?:\.[\w-]+)*): (.+)$/s;

/** The API field a 400 message names and the rest of it, or null when it names none. */
export function fieldOfError(e: unknown): { field: string; message: string } | null {
  if (!(e instanceof ApiError) || e.status !== 400) return null;
  const m = FIELD_MESSAGE.exec(e.message);
  return m ? { field: m[1]!, message: m[3]! } : null;
}

/** The words of a control's label, without its "(optional)" mark. */
function labelOf(control: HTMLElement): string {
  const label = control.id ? control.ownerDocument.querySelector(`label[for="${CSS.escape(control.id)}"]`) : null;
  return (label?.firstChild?.textContent ?? control.querySelector('legend')?.textContent ?? '').trim();
}

/**
 * A sentence for a person: "is incorrect" under "Code" → "Code is incorrect."; a tail that
 * names its own subject ("'10.0.0' is not …") only gains a capital and a full stop.
 */
function sentence(label: string, text: string): string {
  const t = text.trim();
  const s =
    label && /^(is|are|must|should|cannot|can only|has|have|already|does|do|may) /.test(t)
      ? `${label} ${t}`
      : t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?)]$/.test(s) ? s : `${s}.`;
}

function controlFor(form: HTMLFormElement, field: string): HTMLElement | null {
  return (
    form.querySelector<HTMLElement>(`[data-api-field="${CSS.escape(field)}"]`) ??
    (form.elements.namedItem(field) instanceof HTMLElement ? (form.elements.namedItem(field) as HTMLElement) : null)
  );
}

/** Remove every field message of a form (before it is sent again). */
export function clearFieldErrors(form: HTMLFormElement): void {
  for (const p of form.querySelectorAll('.field-error')) p.remove();
  for (const c of form.querySelectorAll('[aria-invalid="true"]')) {
    c.removeAttribute('aria-invalid');
    const by = (c.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((id) => id && !id.endsWith('-error'))
      .join(' ');
    if (by) c.setAttribute('aria-describedby', by);
    else c.removeAttribute('aria-describedby');
  }
}

/**
 * Put a 400's message under the field it names and focus that field; false when the error
 * names no field of this form (the caller then shows it for the whole form).
 */
export function showFieldError(form: HTMLFormElement, e: unknown): boolean {
  const found = fieldOfError(e);
  const control = found ? controlFor(form, found.field) : null;
  if (!found || !control) return false;
  const id = `${control.id || found.field}-error`;
  const note = h('p', { class: 'field-error', id, role: 'alert' }, sentence(labelOf(control), found.message));
  (control.closest('.field') ?? control.parentElement)?.append(note);
  control.setAttribute('aria-invalid', 'true');
  control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
  control.focus();
  control.addEventListener('input', () => clearFieldErrors(form), { once: true });
  return true;
}
