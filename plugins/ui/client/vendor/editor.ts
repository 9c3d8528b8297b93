// The code editor (CodeMirror 6), bundled by scripts/ui-vendor.mjs into one ES module the browser
// loads only when a file is opened — CodeMirror's bare package imports cannot be served as they are.
// It lives in a shadow root: there CodeMirror puts its styles in a constructed stylesheet, which the
// UI's Content-Security-Policy (no inline <style>) allows. Colours come from the page's CSS
// variables, which reach into the shadow root, so the editor follows light and dark mode.
// Tab is left to move focus (out of the dialog's editor), so keyboard users are never trapped.
import { basicSetup } from 'codemirror';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { openSearchPanel } from '@codemirror/search';
import { css } from '@codemirror/lang-css';
import { html } from '@codemirror/lang-html';
import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';
import { markdown } from '@codemirror/lang-markdown';
import { php } from '@codemirror/lang-php';
import { tags as t } from '@lezer/highlight';

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

/** Token colours as CSS variables (`--code-*` in app.css, light and dark). */
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.operatorKeyword, t.modifier, t.controlKeyword], color: 'var(--code-keyword)' },
  { tag: [t.string, t.special(t.string), t.regexp], color: 'var(--code-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--code-number)' },
  { tag: [t.comment, t.lineComment, t.blockComment, t.docComment], color: 'var(--code-comment)', fontStyle: 'italic' },
  { tag: [t.tagName, t.typeName, t.className], color: 'var(--code-tag)' },
  { tag: [t.attributeName, t.propertyName], color: 'var(--code-attribute)' },
  { tag: [t.variableName, t.definition(t.variableName)], color: 'var(--code-variable)' },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: 'var(--code-function)' },
  { tag: [t.processingInstruction, t.meta], color: 'var(--code-meta)' },
  { tag: t.heading, fontWeight: 'bold', color: 'var(--code-tag)' },
  { tag: t.link, color: 'var(--code-string)', textDecoration: 'underline' },
  { tag: t.invalid, color: 'var(--danger)' },
]);

const theme = EditorView.theme({
  '&': { height: '55vh', fontSize: '.86rem', backgroundColor: 'var(--surface)', color: 'var(--text)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--mono)' },
  // tab-size and the Alt-drag crosshair: classes here, not CodeMirror's style attributes (scripts/ui-vendor.mjs)
  '.cm-content': { caretColor: 'var(--text)', tabSize: '4' },
  '.cm-content.cm-crosshair': { cursor: 'crosshair' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '.cm-gutters': { backgroundColor: 'var(--surface-2)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--code-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--code-active-line)', color: 'var(--text)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--code-selection)' },
  '.cm-searchMatch': { backgroundColor: 'var(--code-match)', outline: '1px solid var(--warn)' },
  '.cm-panels': { backgroundColor: 'var(--surface-2)', color: 'var(--text)' },
  '.cm-panels.cm-panels-bottom': { borderTop: '1px solid var(--border)' },
  '.cm-textfield': { font: 'inherit', fontSize: '.85rem', color: 'var(--text)', backgroundColor: 'var(--surface)', border: '1px solid var(--border-strong)', borderRadius: '4px', padding: '3px 6px' },
  '.cm-button': { font: 'inherit', fontSize: '.85rem', color: 'var(--text-2)', backgroundImage: 'none', backgroundColor: 'var(--surface)', border: '1px solid var(--border-strong)', borderRadius: '4px' },
  '.cm-tooltip': { backgroundColor: 'var(--surface)', color: 'var(--text)', border: '1px solid var(--border-strong)' },
});

/** One open editor. */
export interface CodeEditor {
  view: EditorView;
  text(): string;
  focus(): void;
  openSearch(): void;
}

/**
 * Mount an editor for `fileName` holding `text` in `host` (inside a shadow root it attaches).
 * `label` names the editable area for assistive technology (and tests).
 */
export function createEditor(host: HTMLElement, fileName: string, text: string, label: string): CodeEditor {
  const shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  const parent = document.createElement('div');
  shadow.replaceChildren(parent);
  const view = new EditorView({
    parent,
    root: shadow,
    state: EditorState.create({
      doc: text,
      extensions: [
        basicSetup,
        theme,
        syntaxHighlighting(highlight),
        language(fileName),
        EditorView.contentAttributes.of({ 'aria-label': label }),
      ],
    }),
  });
  return { view, text: () => view.state.doc.toString(), focus: () => view.focus(), openSearch: () => void openSearchPanel(view) };
}
