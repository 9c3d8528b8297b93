// The one way the UI makes DOM: values become text nodes or attributes, never parsed markup.
// There is no innerHTML anywhere in the client (a test greps for it).

export type Child = Node | string | number | null | undefined | false | Child[];
export type AttrValue = string | number | boolean | null | undefined | ((ev: any) => void);
export type Attrs = Record<string, AttrValue>;

const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href']);

/** Only same-origin relative URLs and blob: downloads may reach a URL attribute. */
function safeUrl(value: string): string {
  return /^(\/(?!\/)|\?|#|blob:)/.test(value) ? value : '#';
}

function setAttrs(el: Element, attrs: Attrs | null | undefined): void {
  if (!attrs) return;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      el.addEventListener(key.replace(/^on/, '').toLowerCase(), value);
    } else if (/^on/i.test(key)) {
      continue; // handlers are functions only: a string here would be script (the CSP blocks it too)
    } else if (key === 'class') {
      el.setAttribute('class', String(value));
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      const text = String(value);
      el.setAttribute(key, URL_ATTRS.has(key) ? safeUrl(text) : text);
    }
  }
}

/** Append children: strings and numbers as text nodes, nested arrays flattened, empties skipped. */
export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, ...c);
    else parent.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

/**
 * Make an HTML element.
 * @example h('a', { href: '/accounts', class: 'btn' }, 'Accounts')
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, ...children);
  return el;
}

/** Make an SVG element (charts, icons). */
export function svg(tag: string, attrs?: Attrs | null, ...children: Child[]): SVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setAttrs(el, attrs);
  append(el, ...children);
  return el;
}

/** Replace all children of a node. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A unique id for label/field pairs. */
let seq = 0;
export function uid(prefix = 'f'): string {
  seq += 1;
  return `${prefix}-${seq}`;
}
