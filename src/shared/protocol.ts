/**
 * The only contract between the extension host and the budget panel webview. Both sides import
 * this file; the webview imports nothing else from src/. Each message says who sends it.
 */

/** Webview -> host: the panel has loaded its script and can receive messages. */
export interface ReadyMessage {
  type: 'ready';
}

/** Host -> webview: the panel's data changed. */
export interface StateMessage {
  type: 'state';
  title: string;
  stale: boolean;
}

export type WebviewToHost = ReadyMessage;
export type HostToWebview = StateMessage;
