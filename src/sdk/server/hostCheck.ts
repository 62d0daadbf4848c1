/**
 * The `Host` header allowlist against DNS rebinding: a page on `evil.example` whose name is made
 * to resolve to 127.0.0.1 would otherwise read a token-less Budget API (the `npm start` default)
 * from the user's browser, its requests carrying `Host: evil.example:7464`. A rebinding needs a
 * *name*, so IP literals always pass, as do `localhost` (and `*.localhost`, which resolves to the
 * loopback by RFC 6761), this machine's host name and the names the operator allows
 * (`budget-lens serve --allow-host`). A request without a Host header (HTTP/1.0 tools) passes:
 * browsers always send one.
 */
import { isIP } from 'node:net';
import { hostname } from 'node:os';

/** The host name of a Host header value, lower-cased, without port or IPv6 brackets; undefined when malformed. */
export function hostOf(header: string): string | undefined {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) return undefined;
    const rest = value.slice(close + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
    return value.slice(1, close);
  }
  const match = /^([^:\s/]+)(?::\d{1,5})?$/.exec(value);
  return match ? match[1] : undefined;
}

export class HostCheck {
  private readonly names: ReadonlySet<string>;

  constructor(allowed: readonly string[] = [], machineName: string = hostname()) {
    this.names = new Set(['localhost', machineName.toLowerCase(), ...allowed.map((n) => n.trim().toLowerCase())].filter((n) => n !== ''));
  }

  /** Undefined when the request may go on, else why not (for the 421 answer). */
  refusal(header: string | undefined): string | undefined {
    if (header === undefined) return undefined;
    const host = hostOf(header);
    if (host === undefined) return `malformed Host header '${header}'`;
    const bare = host.endsWith('.') ? host.slice(0, -1) : host;
    if (isIP(bare) !== 0 || this.names.has(bare) || bare.endsWith('.localhost')) return undefined;
    return `Host '${bare}' is not allowed (DNS rebinding guard); start the server with --allow-host ${bare} to serve it under that name`;
  }
}
