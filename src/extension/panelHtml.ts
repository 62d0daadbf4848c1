/**
 * The budget panel's HTML page: a strict Content Security Policy with a per-load nonce, the theme
 * CSS (VS Code's --vscode-* variables, so light, dark and high-contrast themes follow), and the
 * bundled dist/webview.js. No `vscode` import: the host (budgetPanel.ts) and the browser test
 * (test/browser/panel.test.ts) build the same page.
 */
import { randomBytes } from 'node:crypto';

/** A nonce from the CSPRNG (not the samples' Math.random()). */
export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The policy. Nothing beyond the task's baseline is needed: chart.js draws on a canvas and sets
 * the canvas size through element.style (CSSOM, which style-src does not govern), and the
 * @vscode-elements components style their shadow roots with constructed stylesheets
 * (adoptedStyleSheets), which CSP does not govern either. No codicon font is loaded (the panel's
 * buttons are text), so `font-src` stays at the webview's own origin. `connect-src` is not
 * granted (default-src 'none'): the webview asks the host for data.
 */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

const CSS = `
  :root { color-scheme: light dark; }
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground);
         background: var(--vscode-editor-background); padding: 0 20px 24px; line-height: 1.4; }
  h1 { font-size: 1.5em; font-weight: 600; margin: 16px 0 4px; }
  h2 { font-size: 1.1em; font-weight: 600; margin: 22px 0 8px; }
  .muted { color: var(--vscode-descriptionForeground); }
  .catalog-changes { margin: 6px 0; padding: 4px 8px; border-left: 3px solid var(--vscode-editorInfo-foreground, #3794ff); }
  .below-target { color: var(--vscode-editorWarning-foreground); }
  .toolbar { display: flex; gap: 8px; align-items: center; margin: 12px 0; flex-wrap: wrap; }
  .banner { border: 1px solid var(--vscode-inputValidation-warningBorder); background: var(--vscode-inputValidation-warningBackground);
            color: var(--vscode-foreground); padding: 8px 12px; margin: 12px 0; border-radius: 2px; }
  .banner strong { margin-right: 6px; }
  .error { border: 1px solid var(--vscode-inputValidation-errorBorder); background: var(--vscode-inputValidation-errorBackground);
           padding: 8px 12px; margin: 12px 0; }
  .error .fixes { display: flex; gap: 8px; margin-top: 8px; flex-wrap: wrap; }
  .part-error { color: var(--vscode-errorForeground); }
  .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 12px 0; }
  .figure { border: 1px solid var(--vscode-panel-border, var(--vscode-editorGroup-border)); padding: 8px 12px; border-radius: 2px; }
  .figure .value { font-size: 1.6em; font-weight: 600; }
  .figure .label { color: var(--vscode-descriptionForeground); }
  .figures.adjusted { margin-top: -2px; }
  .figures.adjusted .figure { border-style: dashed; }
  .figures.adjusted .figure .value { font-size: 1.2em; }
  .adjustments { margin: 4px 0; padding-left: 20px; max-width: 1100px; }
  .adjustment { margin: 4px 0; overflow-wrap: anywhere; }
  .adjustment-range { font-weight: 600; }
  .state-exhausted { color: var(--vscode-charts-red); }
  .state-overHalf { color: var(--vscode-charts-yellow); }
  .state-fine { color: var(--vscode-charts-green); }
  .state-noData { color: var(--vscode-descriptionForeground); }
  .policy { margin: 4px 0 0; }
  .chart { position: relative; height: 260px; max-width: 1100px; }
  vscode-table { max-width: 1100px; }
  /* A cell wraps rather than clip with an ellipsis (vscode-table-cell's own style): at 1000×700
     beside the side bar the endpoint ids, "5 failures" and "71.43 % of team_planning's spend" did. */
  vscode-table-cell, vscode-table-header-cell { white-space: normal; overflow-wrap: break-word; text-overflow: clip; height: auto; }
  vscode-table-cell { padding-top: 3px; padding-bottom: 3px; }
  /* What changed stays one line under its endpoint (its sha link first); the title has the rest. */
  .changed { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .loading { display: flex; gap: 10px; align-items: center; margin: 24px 0; }
  .exceeded { color: var(--vscode-charts-red); font-weight: 600; }
  .objective { border: 1px solid var(--vscode-panel-border, var(--vscode-editorGroup-border)); border-left: 4px solid var(--vscode-descriptionForeground);
               padding: 8px 12px; margin: 12px 0; max-width: 1100px; border-radius: 2px; }
  .objective-exhausted { border-left-color: var(--vscode-charts-red); }
  .objective-overHalf { border-left-color: var(--vscode-charts-yellow); }
  .objective-fine { border-left-color: var(--vscode-charts-green); }
  .objective-head { font-size: 1.15em; font-weight: 600; }
  .objective .figure .value { font-size: 1.2em; }
  .chart.small { height: 170px; }
  [hidden] { display: none !important; }
`;

/** The page; `scriptUri` and `cspSource` come from the webview (asWebviewUri, cspSource). */
export function panelHtml(opts: { cspSource: string; nonce: string; scriptUri: string; title: string }): string {
  const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${esc(panelCsp(opts.cspSource, opts.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${esc(opts.title)}</title>
<style nonce="${esc(opts.nonce)}">${CSS}</style>
</head>
<body>
<div id="app"></div>
<script nonce="${esc(opts.nonce)}" src="${esc(opts.scriptUri)}"></script>
</body>
</html>`;
}
