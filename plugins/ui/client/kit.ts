// The web UI's published surface for plugin pages: a plugin's browser modules (`plugins/<id>/ui/`)
// import the design system, the API client and the page types from this module only, never from
// the UI plugin's other files (test/kernel/boundary.test.ts holds both sides to that). It is the
// same module instance the shell uses, so session, capabilities and toasts are shared.
import type { CodeEditor } from './vendor/editor.js';

export * from './base/api.js';
export * from './base/capabilities.js';
export * from './base/dom.js';
export * from './base/format.js';
export * from './base/router.js';
export * from './base/session.js';
export * from './components/account-picker.js';
export * from './components/account-usage.js';
export * from './components/async-section.js';
export * from './components/chart.js';
export * from './components/confirm-button.js';
export * from './components/dialog.js';
export * from './components/field-errors.js';
export * from './components/form.js';
export * from './components/icons.js';
export * from './components/list-pager.js';
export * from './components/meter.js';
export * from './components/page.js';
export * from './components/paged-list.js';
export * from './components/row-menu.js';
export * from './components/ssl-state.js';
export * from './components/table.js';
export * from './components/toast.js';
export * from './components/unsaved.js';
export * from './pages/job-live.js';
export * from './pages/job-stream.js';
export * from './shell/types.js';
export * from './shell/viewing-as.js';
export type { CodeEditor };

/** The code editor (CodeMirror, one bundle built by rolldown), loaded only when a page needs it. */
export const loadCodeEditor = (): Promise<typeof import('./vendor/editor.js')> => import('./vendor/editor.js');
