import { describe, expect, it } from 'vitest';
import type { ResourceKind } from '../../../source/app/kind.ts';
import { printJson, printTable, sortRows } from '../../../source/app/print.ts';
import { timerKind } from '../../../source/units/kind.ts';
import type { Timer } from '../../../source/units/model.ts';

interface Node {
  name: string;
  ip: string;
  size: number;
  createdAt: Date;
  down?: boolean;
}

const nodeKind: ResourceKind<Node> = {
  id: 'nodes',
  title: 'Nodes',
  rowId: (n) => n.name,
  searchText: (n) => n.name,
  columns: [
    { key: 'name', title: 'Name', grow: true, value: (n) => n.name, tone: (n) => (n.down ? 'error' : 'normal') },
    { key: 'ip', title: 'Ip_Address', value: (n) => n.ip },
    { key: 'createdAt', title: 'Created', value: (n) => n.createdAt },
    { key: 'size', title: 'Size', align: 'right', value: (n) => n.size },
  ],
  actions: [],
};

const now = new Date('2026-12-01T07:00:00Z');
const rows: Node[] = [
  { name: 'docker-512mb-ams2-02', ip: '146.185.156.125', size: 512, createdAt: new Date('2026-11-30T07:00:00Z') },
  { name: 'ginormica', ip: '146.185.160.61', size: 1024, createdAt: new Date('2026-12-01T05:00:00Z'), down: true },
];

describe('printTable', () => {
  it('aligns borderless columns under a dashed underline like deploy.py node list', () => {
    expect(printTable(nodeKind, rows, { now, color: false })).toBe(
      [
        'Name                  Ip_Address       Created  Size',
        '--------------------  ---------------  -------  ----',
        'docker-512mb-ams2-02  146.185.156.125  1d ago    512',
        'ginormica             146.185.160.61   2h ago   1024',
        '',
      ].join('\n'),
    );
  });

  it('colours cells by tone only when asked', () => {
    const plain = printTable(nodeKind, rows, { now, color: false });
    const coloured = printTable(nodeKind, rows, { now, color: true });
    expect(plain).not.toContain('\u001b[');
    expect(coloured).toContain('\u001b[31mginormica\u001b[0m');
  });

  it('truncates the grow column to fit the width', () => {
    const out = printTable(nodeKind, rows, { now, color: false, width: 40 });
    for (const line of out.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(40);
    expect(out).toContain('…');
  });

  it('sorts by the kind default sort: failed timers first', () => {
    const t = (node: string, failed: boolean): Timer => ({
      env: 'production', node, unit: 'x.timer', service: 'x.service', schedule: 'daily', enabled: true, failed,
      result: failed ? { kind: 'exit-code', code: 1 } : { kind: 'success' },
    });
    const sorted = sortRows(timerKind, [t('a', false), t('c', true), t('b', false)]);
    expect(sorted.map((r) => r.node)).toEqual(['c', 'a', 'b']);
    expect(printTable(timerKind, [t('a', false), t('c', true)], { now, color: false }).split('\n')[2]).toMatch(/^c\s/);
  });
});

describe('printJson', () => {
  it('prints the model fields with ISO dates and sorted keys', () => {
    const out = JSON.parse(printJson(nodeKind, rows.slice(0, 1)));
    expect(out).toEqual([{ createdAt: '2026-11-30T07:00:00.000Z', ip: '146.185.156.125', name: 'docker-512mb-ams2-02', size: 512 }]);
    expect(Object.keys(out[0])).toEqual(['createdAt', 'ip', 'name', 'size']);
  });

  it('adds each source and its status when given', () => {
    const out = JSON.parse(
      printJson(nodeKind, rows, [
        { id: 'nodes@digitalocean', status: { state: 'ok', at: now } },
        { id: 'nodes@embassy', status: { state: 'error', message: 'Keystone: 401 Unauthorized' } },
      ]),
    );
    expect(out.kind).toBe('nodes');
    expect(out.rows).toHaveLength(2);
    expect(out.sources).toEqual([
      { id: 'nodes@digitalocean', state: 'ok', at: '2026-12-01T07:00:00.000Z' },
      { id: 'nodes@embassy', state: 'error', message: 'Keystone: 401 Unauthorized' },
    ]);
  });

  it('is the same text for the same rows', () => {
    expect(printJson(nodeKind, rows)).toBe(printJson(nodeKind, [...rows]));
  });
});
