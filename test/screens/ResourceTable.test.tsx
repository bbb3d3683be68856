import { afterEach, describe, expect, it } from 'vitest';
import { ResourceTable } from '../../screens/table/ResourceTable.tsx';
import { tableRows } from '../../hooks/useTableRows.ts';
import type { KindSnapshot } from '../../source/app/store.ts';
import { renderAt } from '../helpers/render.ts';
import type { Rendered } from '../helpers/render.ts';
import { timerKind, timers } from './fakes.ts';
import type { Timer } from './fakes.ts';

const now = new Date('2026-12-01T07:00:00Z');
let ui: Rendered | undefined;
afterEach(() => ui?.unmount());

function snap(rows: Timer[], version = 1, source = (t: Timer) => `timers@${t.node}`): KindSnapshot {
  return { kind: 'timers', version, rows: rows.map((row) => ({ source: source(row), row })), sources: [] };
}

describe('ResourceTable', () => {
  it('draws the header and only the rows that fit, even for 10,000 rows', () => {
    const rows = tableRows(timerKind, snap(timers(10_000)), '', { column: 1, desc: false });
    const started = performance.now();
    ui = renderAt(<ResourceTable kind={timerKind} rows={rows} cursor={5000} height={12} width={80} now={now} sort={{ column: 1, desc: false }} />, {
      columns: 80,
    });
    const frame = ui.lastFrame()!;
    expect(performance.now() - started).toBeLessThan(1000);
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(lines[0]).toMatch(/^NODE\s+TIMER▲\s+NEXT\s+LAST/);
    expect(frame).toContain('job-05000.timer');
    expect(frame).not.toContain('job-04000.timer');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('sorts by the chosen column and reverses', () => {
    const asc = tableRows(timerKind, snap(timers(20)), '', { column: 2, desc: false });
    expect(asc[0]!.row.next).toBe(0);
    const desc = tableRows(timerKind, snap(timers(20)), '', { column: 2, desc: true });
    expect(desc[0]!.row.next).toBe(19 * 60);
    ui = renderAt(<ResourceTable kind={timerKind} rows={desc} cursor={0} height={5} width={80} now={now} sort={{ column: 2, desc: true }} />);
    expect(ui.lastFrame()!.split('\n')[0]).toContain('NEXT▼');
    expect(ui.lastFrame()!.split('\n')[1]).toContain('job-00019.timer');
  });

  it('filters by every word of the filter text', () => {
    const rows = tableRows(timerKind, snap(timers(50)), 'node2 FAILED', undefined);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.row.node === 'node2' && r.row.result === 'failed')).toBe(true);
  });

  it('truncates wide cells by display width', () => {
    const rows = tableRows(timerKind, snap([{ node: 'ノード東京リージョン本番環境', unit: 'バックアップ.timer', next: 1, result: 'ok' }]), '', undefined);
    const kind = { ...timerKind, columns: timerKind.columns.map((c) => (c.key === 'node' ? { ...c, maxWidth: 10 } : c)) };
    ui = renderAt(<ResourceTable kind={kind} rows={rows} cursor={0} height={3} width={60} now={now} />);
    expect(ui.lastFrame()).toContain('ノード東… ');
  });

  it('keeps the cursor on its row when a refresh reorders the rows', async () => {
    const { App } = await import('./tableHarness.tsx');
    const list = timers(30);
    ui = renderAt(<App snap={snap(list, 1)} />, { columns: 80 });
    ui.stdin.write('jjj');
    await new Promise((r) => setTimeout(r, 20));
    expect(ui.lastFrame()).toMatch(/> .*job-00003\.timer/);
    ui.rerender(<App snap={snap([...list].reverse(), 2)} />);
    await new Promise((r) => setTimeout(r, 20));
    expect(ui.lastFrame()).toMatch(/> .*job-00003\.timer/);
  });
});
