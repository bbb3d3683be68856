/** The selected row: its id (followed across refreshes) and index (used when the id is gone). */
export interface Cursor {
  index: number;
  id?: string;
}

/** Keeps `index` inside [0, count - 1] (0 for an empty list). */
export function clampIndex(index: number, count: number): number {
  if (count <= 0) return 0;
  return Math.min(Math.max(index, 0), count - 1);
}

/** Index of the cursor in `ids`: where its row is now, else where it was. */
export function resolveCursor(cursor: Cursor | undefined, ids: readonly string[]): number {
  if (!cursor) return 0;
  if (cursor.id !== undefined) {
    const at = ids.indexOf(cursor.id);
    if (at >= 0) return at;
  }
  return clampIndex(cursor.index, ids.length);
}
