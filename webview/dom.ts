/**
 * The one way the panel puts text on the page: elements built with createElement and text set
 * with textContent. Backend strings (endpoint ids, error messages, group names) can therefore
 * never become markup; nothing in webview/ assigns innerHTML.
 */

type Attrs = Record<string, string | boolean | undefined>;

/** `<tag attrs>text or children</tag>`; a `false`/undefined attribute is left out, `true` is present. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Array<Node | string>): HTMLElementTagNameMap[K];
export function el(tag: string, attrs?: Attrs, ...children: Array<Node | string>): HTMLElement;
export function el(tag: string, attrs: Attrs = {}, ...children: Array<Node | string>): HTMLElement {
  const e = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === true) e.setAttribute(name, '');
    else if (typeof value === 'string') e.setAttribute(name, value);
  }
  for (const c of children) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

/** A vscode-table with a header row and body rows; each cell is text or a node. */
export function table(columns: string[], widths: string[], rows: Array<Array<Node | string>>, label: string): HTMLElement {
  const t = el('vscode-table', { 'zebra': true, 'bordered-rows': true, 'resizable': true, 'aria-label': label });
  t.setAttribute('columns', JSON.stringify(widths));
  const header = el('vscode-table-header', { slot: 'header' }, ...columns.map((c) => el('vscode-table-header-cell', {}, c)));
  const body = el('vscode-table-body', { slot: 'body' }, ...rows.map((r) => el('vscode-table-row', {}, ...r.map((c) => el('vscode-table-cell', {}, c)))));
  t.append(header, body);
  return t;
}
