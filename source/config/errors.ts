/** A problem with the config file, pointing at the place to fix it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
  readonly hint?: string;

  constructor(init: { file: string; message: string; line?: number; col?: number; hint?: string }) {
    super(init.message);
    this.file = init.file;
    if (init.line !== undefined) this.line = init.line;
    if (init.col !== undefined) this.col = init.col;
    if (init.hint !== undefined) this.hint = init.hint;
  }

  /** `file:line:col: message (hint: ...)`, the form editors and terminals turn into links. */
  format(): string {
    const where = this.line === undefined ? this.file : `${this.file}:${this.line}:${this.col ?? 1}`;
    return `${where}: ${this.message}${this.hint ? ` (hint: ${this.hint})` : ''}`;
  }
}

export function isConfigError(e: unknown): e is ConfigError {
  return e instanceof ConfigError;
}
