import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Values a template can use: strings are inserted as given, booleans drive sections. */
export type TemplateVars = Record<string, string | number | boolean | null | undefined>;

/** A template parsed once and rendered many times. */
export interface CompiledTemplate {
  render(vars: TemplateVars): string;
}

type Node = string | { name: string } | { section: string; inverted: boolean; body: Node[] };

// A tag alone on its line vanishes with the line, so sections leave no blank lines behind.
const STANDALONE = /^[ \t]*(\{\{[#^/!][^}]*\}\})[ \t]*\r?\n/gm;
const TAG = /\{\{([#^/!]?)\s*([a-zA-Z0-9_]*)[^}]*\}\}/g;

function parse(source: string): Node[] {
  const root: Node[] = [];
  const stack: { name: string; nodes: Node[] }[] = [{ name: '', nodes: root }];
  let last = 0;
  for (const m of source.replace(STANDALONE, '$1').matchAll(TAG)) {
    const top = stack.at(-1)!;
    const text = m.input!.slice(last, m.index);
    if (text) top.nodes.push(text);
    last = m.index! + m[0].length;
    const [, kind, name] = m;
    if (kind === '!') continue;
    if (kind === '#' || kind === '^') {
      const body: Node[] = [];
      top.nodes.push({ section: name!, inverted: kind === '^', body });
      stack.push({ name: name!, nodes: body });
    } else if (kind === '/') {
      if (top.name !== name || stack.length === 1) throw new Error(`template: unexpected {{/${name}}}`);
      stack.pop();
    } else top.nodes.push({ name: name! });
  }
  if (stack.length > 1) throw new Error(`template: section '${stack.at(-1)!.name}' is not closed`);
  const tail = source.replace(STANDALONE, '$1').slice(last);
  if (tail) root.push(tail);
  return root;
}

function emit(nodes: Node[], vars: TemplateVars, out: string[]): void {
  for (const n of nodes) {
    if (typeof n === 'string') out.push(n);
    else if ('name' in n) {
      const v = vars[n.name];
      if (v === undefined || v === null) throw new Error(`template: no value for '${n.name}'`);
      out.push(String(v));
    } else if (Boolean(vars[n.section]) !== n.inverted) emit(n.body, vars, out);
  }
}

/**
 * Compile a small logic-less template: `{{name}}` inserts a value as given (quote it for its
 * target first), `{{#flag}}…{{/flag}}` keeps a block when the value is truthy, `{{^flag}}…{{/flag}}`
 * when it is falsy, `{{! note }}` is a comment. A missing value is an error, never an empty string.
 *
 * @example
 * ```ts
 * compileTemplate('server_name {{names}};{{#tls}} # tls{{/tls}}').render({ names: 'a.test', tls: false });
 * ```
 */
export function compileTemplate(source: string): CompiledTemplate {
  const nodes = parse(source);
  return {
    render(vars) {
      const out: string[] = [];
      emit(nodes, vars, out);
      return out.join('');
    },
  };
}

const cache = new Map<string, CompiledTemplate>();

/** Load and compile `templatesDir/relPath` once per process (templates are read at start-up). */
export function loadTemplate(templatesDir: string, relPath: string): CompiledTemplate {
  const file = path.resolve(templatesDir, relPath);
  let t = cache.get(file);
  if (!t) {
    t = compileTemplate(readFileSync(file, 'utf8'));
    cache.set(file, t);
  }
  return t;
}
