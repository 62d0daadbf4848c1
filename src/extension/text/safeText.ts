/**
 * The one way text from outside (the Budget API, log-derived endpoint ids, group names, error
 * messages, catalog labels) reaches the editor's Markdown and plain-text surfaces (issue 12 item 11):
 * - oneLine: newlines and other line breaks collapse to a space, so a value can never start a
 *   new Markdown block (`\n# Heading`, `\n- item`) or fake a line in a tooltip or tree label;
 * - escapeMarkdown: oneLine, then every ASCII punctuation character backslash-escaped, which
 *   CommonMark and GFM (marked, markdown-it) render as the character itself: no emphasis, code,
 *   HTML, link, image or heading, and no bare-URL autolink (`http\:\/\/…` and `www\.…` are not URLs);
 * - inlineCode: oneLine inside a code span whose fence is longer than any backtick run inside,
 *   where Markdown reads nothing (no autolinks either);
 * - notificationSafe: oneLine, and `](` opened up, since a notification draws `[x](command:y)` as a link;
 * - safeHttpUrl / markdownLink: a backend URL (an adjustment's link) as a link only when it parses
 *   as http(s), its parentheses percent-encoded; anything else stays text.
 * No `vscode` import: unit tested in Node (test/unit/extension/safeText.test.ts).
 */

/** Line breaks Markdown or a tooltip could start a new line at (CR, LF, VT, FF, NEL, LS, PS). */
const LINE_BREAKS = /[ \t]*[\r\n\v\f\u0085\u2028\u2029][\s]*/g;

/** `a\n# b` -> `a # b`: each run of line breaks (with the blanks around it) becomes one space. */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ');
}

/**
 * Plain text for the status bar, which draws `$(name)` as an icon: oneLine, and `$(` escaped as
 * VS Code's label renderer reads `\$(` (a group named `$(zap) x` shows as typed).
 */
export function statusBarSafe(text: string): string {
  return oneLine(text).replace(/\$\(/g, '\\$(');
}

/** Every ASCII punctuation character: CommonMark lets a backslash escape each of them. */
const MARKDOWN_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/**
 * Backend text as Markdown that renders exactly as the text (on one line): `[x](command:y)`
 * stays text, `http://evil.example/x` is not a link, `# h` is not a heading.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text).replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`);
}

/**
 * Backend text as a Markdown code span: `` `GET /api/:id` ``; a text holding backticks gets a
 * longer fence (and spaces, so a leading or trailing backtick is not read as part of it).
 */
export function inlineCode(text: string): string {
  const flat = oneLine(text);
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * Plain text for a notification (showWarningMessage & co.): VS Code renders `[label](https://…)`,
 * `[label](command:…)` and `[label](file:…)` in a notification's message as links and runs a
 * command link on click. One line, and every `](` opened up to `] (`, so a backend message (or a
 * config file quoted in an error) can offer no link of its own.
 */
export function notificationSafe(text: string): string {
  return oneLine(text).replace(/\]\(/g, '] (');
}

/**
 * A backend string as a URL the editor may link to: only http: and https: (never command:,
 * file:, javascript:, data:), as the WHATWG parser normalises it (no line breaks, spaces or angle
 * brackets left), with `(` `)` `'` `"` percent-encoded so it cannot end a Markdown link or an
 * attribute early. Undefined for anything else: show it as text.
 */
export function safeHttpUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.href.replace(/[()'"\\\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** `[text](url)` for an http(s) URL (the text escaped), else the whole string escaped as text. */
export function markdownLink(text: string, url: string): string {
  const safe = safeHttpUrl(url);
  return safe === undefined ? escapeMarkdown(text) : `[${escapeMarkdown(text)}](${safe})`;
}
