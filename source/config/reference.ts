/** The README's configuration reference, generated from the schema so the two cannot drift. */
import { configJsonSchema } from './json-schema.ts';
import { SECRET_REF_RE } from './schema.ts';

type Json = {
  type?: string;
  description?: string;
  default?: unknown;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  properties?: Record<string, Json>;
  required?: string[];
  items?: Json;
  additionalProperties?: Json | boolean;
  oneOf?: Json[];
  anyOf?: Json[];
};

const DURATION_PATTERN = '^(?:\\d+(?:ms|s|m|h|d))+$';

function typeOf(s: Json): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => String(v)).join(' | ');
  if (s.oneOf || s.anyOf) return 'one of the forms below';
  if (s.type === 'string') {
    if (s.pattern === DURATION_PATTERN) return 'duration (`10s`, `500ms`, `26h`, `2d`)';
    if (s.pattern === SECRET_REF_RE.source) return 'secret ref (`keychain:NAME`, `env:NAME`)';
    if (s.format === 'uri') return 'URL';
    if (s.format === 'email') return 'email';
    return 'string';
  }
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'any'}`;
  if (s.type === 'object') {
    if (s.properties) return 'mapping';
    if (typeof s.additionalProperties === 'object') return `map of ${typeOf(s.additionalProperties)}`;
    return 'mapping';
  }
  return s.type ?? 'any';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function rows(s: Json, key: string, required: boolean, out: string[][]): void {
  const isObjectWithKeys = s.type === 'object' && s.properties;
  // Empty defaults ([] and {}) only mean "optional": left out.
  const empty = typeof s.default === 'object' && s.default !== null && Object.keys(s.default).length === 0;
  const def = required ? 'required' : s.default !== undefined && !empty ? `\`${JSON.stringify(s.default)}\`` : '';
  if (key) out.push([`\`${key}\``, typeOf(s), def, s.description ?? '']);
  if (isObjectWithKeys) {
    for (const [k, v] of Object.entries(s.properties!)) {
      if (k === '$schema') continue;
      rows(v, key ? `${key}.${k}` : k, s.required?.includes(k) ?? false, out);
    }
  } else if (s.type === 'object' && typeof s.additionalProperties === 'object' && s.additionalProperties.properties) {
    rows({ ...s.additionalProperties, description: undefined }, `${key}.<name>`, false, out);
    // The row for `<name>` itself repeats its parent; keep only the keys below it.
    const last = out.findIndex((r) => r[0] === `\`${key}.<name>\``);
    if (last >= 0) out.splice(last, 1);
  } else if (s.type === 'array' && s.items) {
    const items = s.items;
    const forms = items.oneOf ?? items.anyOf;
    if (forms) {
      for (const f of forms) {
        const kind = f.properties?.['kind']?.const;
        rows({ ...f, description: undefined }, `${key}[] (kind: ${String(kind)})`, false, out);
        const i = out.findIndex((r) => r[0] === `\`${key}[] (kind: ${String(kind)})\``);
        if (i >= 0) out.splice(i, 1);
      }
    } else if (items.properties) {
      for (const [k, v] of Object.entries(items.properties)) rows(v, `${key}[].${k}`, items.required?.includes(k) ?? false, out);
    }
  }
}

/** A markdown table of every config key: type, default (or "required") and description. */
export function configReferenceMarkdown(): string {
  const out: string[][] = [];
  rows(configJsonSchema() as Json, '', false, out);
  const lines = ['| Key | Type | Default | Description |', '| --- | --- | --- | --- |'];
  for (const r of out) lines.push(`| ${r.map(cell).join(' | ')} |`);
  return lines.join('\n') + '\n';
}
