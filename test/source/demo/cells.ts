import type { ResourceKind } from '../../../source/app/kind.ts';
import { cellText } from '../../../source/app/print.ts';

/** A row's cell by column title: its text and tone, as the table shows it. */
export function cell<T>(kind: ResourceKind<T>, title: string, row: T, now: Date) {
  const col = kind.columns.find((c) => c.title === title);
  if (!col) throw new Error(`${kind.id} has no column ${title}: ${kind.columns.map((c) => c.title).join(', ')}`);
  return { text: cellText(col, row, now), tone: col.tone?.(row, now) ?? 'normal' };
}
