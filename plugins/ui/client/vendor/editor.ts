// The code editor (CodeMirror 6), bundled by scripts/ui-vendor.mjs into one ES module the browser
// loads only when a file is opened — CodeMirror's bare package imports cannot be served as they are.
// Tab is left to move focus (out of the dialog's editor), so keyboard users are never trapped.
import { basicSetup } from 'codemirror';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { openSearchPanel } from '@codemirror/search';
import { css } from '@codemirror/lang-css';
import { html } from '@codemirror/lang-html';
import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';
import { markdown } from '@codemirror/lang-markdown';
import { php } from '@codemirror/lang-php';

/** Highlighting by file name: the extension picks the language; unknown types stay plain text. */
function language(fileName: string): Extension[] {
  const ext = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  switch (ext) {
    case 'js': case 'mjs': case 'cjs': return [javascript()];
    case 'jsx': return [javascript({ jsx: true })];
    case 'ts': case 'mts': case 'cts': return [javascript({ typescript: true })];
    case 'tsx': return [javascript({ typescript: true, jsx: true })];
    case 'css': return [css()];
    case 'html': case 'htm': return [html()];
    case 'php': case 'phtml': return [php()];
    case 'json': return [json()];
    case 'md': case 'markdown': return [markdown()];
    default: return [];
  }
}

/** One open editor. */
export interface CodeEditor {
  view: EditorView;
  text(): string;
  focus(): void;
  openSearch(): void;
}

/**
 * Mount an editor for `fileName` holding `text` in `parent`. `label` names the editable area for
 * assistive technology (and tests).
 */
export function createEditor(parent: HTMLElement, fileName: string, text: string, label: string): CodeEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        basicSetup,
        language(fileName),
        EditorView.contentAttributes.of({ 'aria-label': label }),
      ],
    }),
  });
  return { view, text: () => view.state.doc.toString(), focus: () => view.focus(), openSearch: () => void openSearchPanel(view) };
}
