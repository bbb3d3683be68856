import stringWidth from 'string-width';
import cliTruncate from 'cli-truncate';
import type { CellValue, Column, ResourceKind } from './kind.ts';
import type { SourceStatus, Tone } from './status.ts';
import { fromNow } from './format.ts';

// ANSI SGR per tone for one-shot commands; the Ink theme maps the same tones for the app.
const TONE_SGR: Record<Tone, string | undefined> = {
  normal: undefined,
  ok: '32',
  warn: '33',
  error: '31',
  muted: '90',
  accent: '1;36',
  info: '34',
};

const paint = (text: string, sgr: string | undefined, color: boolean) => (color && sgr && text ? `\u001b[${sgr}m${text}\u001b[0m` : text);

export function cellText<T>(col: Column<T>, row: T, now: Date): string {
  if (col.format) return col.format(row, now);
  return valueText(col.value(row), now);
}

function valueText(v: CellValue, now: Date): string {
  if (v === undefined || v === null) return '-';
  if (v instanceof Date) return fromNow(v, now);
  return String(v);
}

function compareValues(a: CellValue, b: CellValue): number {
  const empty = (v: CellValue) => v === undefined || v === null || v === '';
  if (empty(a) || empty(b)) return empty(a) === empty(b) ? 0 : empty(a) ? 1 : -1; // blanks last
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x).localeCompare(String(y));
}

/**
 * Rows in the kind's default order: ascending by the `defaultSort` column's value, ties by row
 * id, so rows from several sources do not swap places between polls. Without `defaultSort`
 * rows keep the order their sources gave.
 */
export function sortRows<T>(kind: ResourceKind<T>, rows: readonly T[]): T[] {
  const col = kind.defaultSort ? kind.columns.find((c) => c.key === kind.defaultSort) : undefined;
  if (!col) return [...rows];
  const keyed = rows.map((row) => ({ row, v: col.value(row), id: kind.rowId(row) }));
  keyed.sort((a, b) => compareValues(a.v, b.v) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return keyed.map((k) => k.row);
}

export interface PrintOptions {
  now: Date;
  color: boolean;
  /** Terminal width: the grow column (then the widest) is truncated to fit. */
  width?: number;
}

const GAP = '  ';

function fit(widths: number[], columns: Column<unknown>[], titles: number[], limit: number): number[] {
  const w = [...widths];
  const total = () => w.reduce((s, x) => s + x, 0) + GAP.length * (w.length - 1);
  // Grow columns (images, domains, targets) give up width first, down to a readable 24 cells;
  // then the widest column loses one cell at a time, so truncation is spread out.
  for (let i = 0; i < w.length && total() > limit; i++) {
    if (columns[i]!.grow) w[i] = Math.max(Math.min(w[i]!, Math.max(titles[i]!, 24)), w[i]! - (total() - limit));
  }
  const floor = (i: number) => Math.min(widths[i]!, Math.max(titles[i]!, 4));
  while (total() > limit) {
    let widest = -1;
    for (let i = 0; i < w.length; i++) if (w[i]! > floor(i) && (widest < 0 || w[i]! > w[widest]!)) widest = i;
    if (widest < 0) break;
    w[widest] = w[widest]! - 1;
  }
  return w;
}

/**
 * Rows as an aligned, borderless table with a header and a dashed underline, like seed 003's
 * `deploy.py node list`. Tones become ANSI colours only when `color` is set.
 */
export function printTable<T>(kind: ResourceKind<T>, rows: readonly T[], opts: PrintOptions): string {
  const columns = kind.columns as Column<unknown>[];
  const sorted = sortRows(kind, rows) as unknown[];
  const cells = sorted.map((row) =>
    columns.map((col) => {
      const text = cellText(col, row, opts.now).replace(/[\r\n\t]+/g, ' ');
      return { text, tone: col.tone?.(row, opts.now) ?? 'normal' };
    }),
  );
  const titles = columns.map((c) => stringWidth(c.title));
  let widths = columns.map((col, i) => {
    if (col.width !== undefined) return col.width;
    let w = titles[i]!;
    for (const r of cells) w = Math.max(w, stringWidth(r[i]!.text));
    return col.maxWidth !== undefined ? Math.max(titles[i]!, Math.min(w, col.maxWidth)) : w;
  });
  if (opts.width !== undefined) widths = fit(widths, columns, titles, opts.width);

  const line = (texts: { text: string; sgr?: string }[]) =>
    texts
      .map(({ text, sgr }, i) => {
        const w = widths[i]!;
        const cut = stringWidth(text) > w ? cliTruncate(text, w) : text;
        const pad = ' '.repeat(Math.max(0, w - stringWidth(cut)));
        const right = columns[i]!.align === 'right';
        const body = paint(cut, sgr, opts.color);
        return right ? pad + body : i === texts.length - 1 ? body : body + pad;
      })
      .join(GAP)
      .trimEnd();

  const out = [
    line(columns.map((c) => ({ text: c.title, sgr: '1' }))),
    widths.map((w) => '-'.repeat(w)).join(GAP),
    ...cells.map((r) => line(r.map((c) => ({ text: c.text, sgr: TONE_SGR[c.tone] })))),
  ];
  return out.join('\n') + '\n';
}

/** Where a row came from and how that source is doing, for `--json`. */
export interface RowSource {
  id: string;
  status: SourceStatus;
}

function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return toJson(withToJson.toJSON());
  if (Array.isArray(value)) return value.map(toJson);
  // Keys sorted: output that scripts diff and cache stays the same across runs.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== 'function') out[key] = toJson(v);
  }
  return out;
}

/**
 * Rows as stable JSON (no trailing newline): the model's fields, dates as ISO 8601, keys sorted,
 * in the kind's default order. Given the sources, the output is `{ kind, sources, rows }` and
 * each source carries its status, so a script sees which part is stale or failing.
 */
export function printJson<T>(kind: ResourceKind<T>, rows: readonly T[], sources?: readonly RowSource[]): string {
  const out = sortRows(kind, rows).map((row) => toJson(row));
  if (!sources) return JSON.stringify(out, null, 2);
  const statuses = sources.map((s) => ({ id: s.id, ...(toJson(s.status) as Record<string, unknown>) }));
  return JSON.stringify({ kind: kind.id, sources: statuses, rows: out }, null, 2);
}
