/** The budget panel (browser bundle). Talks to the host only through src/shared/protocol.ts. */
import type { HostToWebview, WebviewToHost } from '../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (message.type === 'state') {
    const title = document.getElementById('title');
    if (title) title.textContent = message.title;
  }
});

vscode.postMessage({ type: 'ready' });
