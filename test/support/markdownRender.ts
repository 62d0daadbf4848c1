/**
 * Renders hover Markdown the way a CommonMark + GFM renderer does, so tests check what a reader
 * sees rather than the escaped source: markdown-it (a devDependency; @vscode/vsce uses it too) with raw
 * HTML and linkify on, the strictest setting for injected links (bare URLs
 * and bare domains become links). VS Code's hover uses marked; both follow CommonMark's escapes.
 */
import { createRequire } from 'node:module';

interface MarkdownIt {
  render(src: string): string;
}

const requireHere = createRequire(__filename);
const md = (requireHere('markdown-it') as (opts: Record<string, unknown>) => MarkdownIt)({ html: true, linkify: true });

/** The HTML a Markdown source renders to. */
export function renderMarkdown(src: string): string {
  return md.render(src);
}

/** The text a reader sees: the rendered HTML without tags, entities decoded, blocks one per line. */
export function visibleText(src: string): string {
  return renderMarkdown(src)
    .replace(/<\/(p|li|h[1-6]|ul|ol|blockquote)>\n?/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n+/g, '\n')
    .trim();
}
