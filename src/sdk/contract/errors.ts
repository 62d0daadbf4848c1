/**
 * Errors the SDK raises for bad input. Every one says *where*: a file with line and column for
 * YAML and source files, a URL and HTTP status for backends. The editor turns them into
 * diagnostics and messages; the CLI prints `file:line:col: message`.
 */

export interface SourceLocation {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** Malformed or invalid input file (YAML, Ruby, config): carries the location. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly location: SourceLocation,
  ) {
    super(`${formatLocation(location)}: ${message}`);
  }

  static is(e: unknown): e is InputError {
    return e instanceof InputError;
  }
}
