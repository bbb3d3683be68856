import type { Action } from './action.ts';
import type { Tone } from './status.ts';

export type KindId = 'nodes' | 'services' | 'timers' | 'backups' | 'certs' | 'secrets' | 'audit';
export const kindOrder: readonly KindId[] = ['nodes', 'services', 'timers', 'backups', 'certs', 'secrets', 'audit'];

export type CellValue = string | number | Date | undefined | null;

/** A column keyed by the row type: a misspelt key is a type error. */
export interface Column<T> {
  key: string;
  title: string;
  /** Fixed width in cells; otherwise sized to content, up to maxWidth. */
  width?: number;
  maxWidth?: number;
  /** Takes the remaining width (one column per table should). */
  grow?: boolean;
  align?: 'left' | 'right';
  value: (row: T) => CellValue;
  /** Text of the cell; `now` lets relative times move without refetching. */
  format?: (row: T, now: Date) => string;
  tone?: (row: T, now: Date) => Tone;
}

export interface Detail {
  label: string;
  value: string;
  tone?: Tone;
}

/** A resource kind is data: columns, identity, details and the actions on its rows. */
export interface ResourceKind<T> {
  id: KindId;
  title: string;
  /** Stable across polls so the cursor follows its row. */
  rowId: (row: T) => string;
  /** Text the `/` filter matches against. */
  searchText: (row: T) => string;
  columns: Column<T>[];
  defaultSort?: string;
  details?: (row: T, now: Date) => Detail[];
  actions: Action<any>[];
}
