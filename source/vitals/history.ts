/** Load samples per node for a sparkline (pure; a fixed-size ring per node). */

const BARS = '▁▂▃▄▅▆▇█';

export class RingBuffer<T> {
  private readonly items: T[] = [];
  private start = 0;
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
  }
  push(v: T): void {
    if (this.items.length < this.capacity) this.items.push(v);
    else {
      this.items[this.start] = v;
      this.start = (this.start + 1) % this.capacity;
    }
  }
  get size(): number {
    return this.items.length;
  }
  /** Oldest first. */
  values(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }
  clear(): void {
    this.items.length = 0;
    this.start = 0;
  }
}

export class LoadHistory {
  private readonly rings = new Map<string, RingBuffer<number>>();
  constructor(readonly capacity = 60) {}
  add(node: string, load: number): void {
    if (!Number.isFinite(load)) return;
    let r = this.rings.get(node);
    if (!r) this.rings.set(node, (r = new RingBuffer<number>(this.capacity)));
    r.push(load);
  }
  /** Oldest first; empty for an unknown node. */
  values(node: string): number[] {
    return this.rings.get(node)?.values() ?? [];
  }
  forget(node: string): void {
    this.rings.delete(node);
  }
  nodes(): string[] {
    return [...this.rings.keys()];
  }
}

/**
 * The newest `width` values as ▁▂▃▄▅▆▇█, scaled from 0 to `max` (default: the largest value
 * shown, or 1 if all are below 1, so an idle node stays low). Shorter histories are padded on
 * the left with spaces so the newest sample is always the rightmost cell.
 */
export function sparkline(values: readonly number[], width: number, max?: number): string {
  if (width <= 0) return '';
  const shown = values.slice(-width).map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const top = max ?? Math.max(1, ...shown);
  const bars = shown.map((v) => BARS[Math.min(BARS.length - 1, Math.max(0, Math.round((v / top) * (BARS.length - 1))))]!);
  return ' '.repeat(width - bars.length) + bars.join('');
}
