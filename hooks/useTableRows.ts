import { useMemo } from 'react';
import type { CellValue, Column, ResourceKind } from '../source/app/kind.ts';
import type { KindSnapshot } from '../source/app/store.ts';
import type { SortState } from './useKeys.ts';

export interface TableRow<T = unknown> {
  id: string;
  source: string;
  row: T;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compareValues(a: CellValue, b: CellValue): number {
  if (a instanceof Date) a = a.getTime();
  if (b instanceof Date) b = b.getTime();
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

function isEmpty(v: CellValue): boolean {
  return v === undefined || v === null || v === '';
}

/** The kind's default sort as a column index, or the one chosen with `<` / `>` / `~`. */
export function effectiveSort(kind: Pick<ResourceKind<unknown>, 'columns' | 'defaultSort'>, chosen?: SortState): SortState | undefined {
  if (chosen) return chosen;
  if (!kind.defaultSort) return undefined;
  const column = kind.columns.findIndex((c) => c.key === kind.defaultSort);
  return column >= 0 ? { column, desc: false } : undefined;
}

const tableRowCache = new WeakMap<ResourceKind<any>, WeakMap<object, TableRow>>();

/**
 * Rows as the table shows them: filtered by every word of `filter` (case-insensitive, on
 * searchText) and sorted (stable, empty cells last either way). The only per-row work done
 * for rows off screen.
 */
export function tableRows<T>(kind: ResourceKind<T>, snap: KindSnapshot, filter: string, sort?: SortState): TableRow<T>[] {
  // The store keeps a source's StoredRows while its rows stay the same array, so a poll of one
  // source does not recompute the ids of the other 10,000 rows.
  let byStored = tableRowCache.get(kind);
  if (!byStored) tableRowCache.set(kind, (byStored = new WeakMap()));
  const cache = byStored;
  let rows: TableRow<T>[] = snap.rows.map((r) => {
    let t = cache.get(r);
    if (!t) cache.set(r, (t = { id: kind.rowId(r.row as T), source: r.source, row: r.row }));
    return t as TableRow<T>;
  });
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length > 0) {
    rows = rows.filter((r) => {
      const text = kind.searchText(r.row).toLowerCase();
      return words.every((w) => text.includes(w));
    });
  }
  const column: Column<T> | undefined = sort ? kind.columns[sort.column] : undefined;
  if (column && sort) {
    const keyed = rows.map((r) => ({ r, v: column.value(r.row) }));
    keyed.sort((x, y) => {
      const ex = isEmpty(x.v);
      const ey = isEmpty(y.v);
      if (ex || ey) return ex === ey ? 0 : ex ? 1 : -1;
      const c = compareValues(x.v, y.v);
      return sort.desc ? -c : c;
    });
    rows = keyed.map((k) => k.r);
  }
  return rows;
}

/** Memoised on the snapshot (a new object only when the kind's data changed), filter and sort. */
export function useTableRows<T>(kind: ResourceKind<T>, snap: KindSnapshot, filter: string, sort?: SortState): TableRow<T>[] {
  return useMemo(() => tableRows(kind, snap, filter, sort), [kind, snap, filter, sort?.column, sort?.desc]);
}
