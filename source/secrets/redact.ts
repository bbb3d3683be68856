/**
 * The one redactor of the process: every secret value resolved is registered here, and every
 * text that leaves the process (logs, audit entries, error messages, the screen) goes through
 * `redact`. A value is masked as itself and in the encodings it typically reappears in:
 * base64 (standard and URL-safe, padded or not), URL-encoded (encodeURIComponent) and
 * JSON-escaped. Not covered: base64 of a value embedded inside a larger encoded payload
 * (e.g. `user:value` in a Basic auth header), whose characters depend on the prefix.
 */

export const MASK = '•••';

/**
 * Values shorter than this are ignored: masking "on", "yes" or "1" would mangle every line of
 * output while hiding nothing worth hiding (a 3-character secret is guessable anyway).
 */
export const MIN_SECRET_LENGTH = 4;

export interface Redactor {
  add(value: string): void;
  redact(text: string): string;
  /** A copy of the error with message, stack and causes redacted (name and code kept). */
  redactError(err: unknown): Error;
  /** How many distinct values are registered. */
  readonly size: number;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function formsOf(value: string): string[] {
  const forms = new Set<string>([value]);
  const b64 = Buffer.from(value, 'utf8').toString('base64');
  const unpadded = b64.replace(/=+$/, '');
  forms.add(b64);
  forms.add(unpadded);
  forms.add(b64.replaceAll('+', '-').replaceAll('/', '_'));
  forms.add(unpadded.replaceAll('+', '-').replaceAll('/', '_'));
  forms.add(encodeURIComponent(value));
  forms.add(JSON.stringify(value).slice(1, -1));
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

export function createRedactor(): Redactor {
  const values = new Set<string>();
  let pattern: RegExp | undefined;

  const rebuild = () => {
    const forms = new Set<string>();
    for (const v of values) for (const f of formsOf(v)) forms.add(f);
    // Longest first, so a padded base64 form wins over its unpadded prefix.
    const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRe);
    pattern = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'g') : undefined;
  };

  const redact = (text: string): string => {
    if (pattern === undefined || typeof text !== 'string' || text === '') return text;
    return text.replace(pattern, MASK);
  };

  const redactError = (err: unknown, depth = 0): Error => {
    if (!(err instanceof Error)) return new Error(redact(String(err)));
    const copy = new Error(redact(err.message));
    Object.defineProperty(copy, 'name', { value: err.name, enumerable: false, writable: true, configurable: true });
    copy.stack = err.stack === undefined ? undefined : redact(err.stack);
    // Own primitive fields (code, reason, status …) survive; strings among them are redacted.
    for (const key of Object.keys(err)) {
      if (key === 'message' || key === 'stack' || key === 'cause') continue;
      const v = (err as unknown as Record<string, unknown>)[key];
      if (typeof v === 'string') Object.defineProperty(copy, key, { value: redact(v), enumerable: true, writable: true, configurable: true });
      else if (typeof v === 'number' || typeof v === 'boolean') Object.defineProperty(copy, key, { value: v, enumerable: true, writable: true, configurable: true });
    }
    if (err.cause !== undefined && depth < 5) copy.cause = redactError(err.cause, depth + 1);
    Object.setPrototypeOf(copy, Object.getPrototypeOf(err));
    return copy;
  };

  return {
    add(value) {
      if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || values.has(value)) return;
      values.add(value);
      rebuild();
    },
    redact,
    redactError: (err) => redactError(err),
    get size() {
      return values.size;
    },
  };
}
