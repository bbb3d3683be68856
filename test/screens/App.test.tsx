import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../screens/App.tsx';
import type { AppProps } from '../../screens/App.tsx';
import type { AppServices } from '../../source/app/services.ts';
import { renderAt } from '../helpers/render.ts';
import type { Rendered } from '../helpers/render.ts';
import { frameHas, press } from '../helpers/press.ts';
import { fakeServices, testKinds, timers } from './fakes.ts';

let ui: Rendered | undefined;
afterEach(() => {
  ui?.unmount();
  ui = undefined;
});

const now = new Date('2026-12-01T07:30:00Z');

async function start(
  opts: { columns?: number; rows?: number; readonly?: boolean; protect?: boolean; demo?: boolean; shell?: AppServices['shell']; handOver?: AppProps['handOver'] } = {},
) {
  const fake = await fakeServices(
    [
      {
        name: 'production',
        protect: opts.protect ?? false,
        add: (s) => {
          s.add('nodes@openstack', 'nodes', [
            { name: 'ims', state: 'active' },
            { name: 'nmpi', state: 'active' },
            { name: 'backup1', state: 'stopped' },
          ]);
          s.add('timers@node0', 'timers', timers(40).filter((t) => t.node === 'node0'));
          s.add('timers@node1', 'timers', timers(40).filter((t) => t.node === 'node1'));
          s.add('timers@node2', 'timers', new Error('connection refused'));
        },
      },
      { name: 'test', protect: false, add: (s) => s.add('nodes@do', 'nodes', [{ name: 'test-web', state: 'active' }]) },
    ],
    { readonly: opts.readonly ?? false, demo: opts.demo ?? false, ...(opts.shell ? { shell: opts.shell } : {}) },
  );
  const onQuit = vi.fn();
  ui = renderAt(<App services={fake.services} kinds={testKinds()} initialEnv="production" onQuit={onQuit} now={now} {...(opts.handOver ? { handOver: opts.handOver } : {})} />, {
    columns: opts.columns ?? 100,
    rows: opts.rows ?? 30,
  });
  await frameHas(ui, /opsconsole|Enlarge/);
  return { ...fake, onQuit, ui };
}

describe('App', () => {
  it('draws header, tabs, the nodes panel and a footer within rows - 1 lines', async () => {
    const { ui } = await start({ demo: true });
    const frame = await frameHas(ui, 'backup1');
    expect(frame).toContain('production');
    expect(frame).toContain('DEMO');
    expect(frame).toContain('1 Nodes');
    expect(frame).toContain('7 Audit');
    expect(frame).toContain('b Reboot');
    expect(frame).toMatch(/\d\d:\d\d:\d\d/);
    expect(frame.split('\n').length).toBeLessThanOrEqual(29);
  });

  it('marks a protected environment', async () => {
    const { ui } = await start({ protect: true });
    expect(await frameHas(ui, 'PROTECTED')).toContain('production PROTECTED');
  });

  it('switches panels with Tab and the number keys', async () => {
    const { ui } = await start();
    await press(ui, 'tab');
    await frameHas(ui, 'no services configured in production');
    await press(ui, '3');
    const frame = await frameHas(ui, 'job-00000.timer');
    expect(frame).toContain('t Run the job now');
    expect(frame).toMatch(/2 ok · 1 error/);
    expect(frame).toContain('timers@node2: connection refused');
    await press(ui, 'shiftTab');
    await frameHas(ui, 'no services configured');
  });

  it('narrows the rows while a filter is typed and clears it with Esc', async () => {
    const { ui } = await start();
    await press(ui, '/', 'nm');
    let frame = await frameHas(ui, '/nm');
    expect(frame).toContain('nmpi');
    expect(frame).not.toContain('backup1');
    await press(ui, 'enter');
    frame = await frameHas(ui, '1 of 3 nodes');
    await press(ui, '/', 'esc');
    frame = await frameHas(ui, 'backup1');
    expect(frame).toContain('3 nodes');
  });

  it('lists the panel actions and the global keys under ?', async () => {
    const { ui } = await start();
    await press(ui, '3', '?');
    const frame = await frameHas(ui, 'Keys of Timers');
    expect(frame).toMatch(/t +Run the job now/);
    expect(frame).toMatch(/P +Purge the journal \(confirms first\)/);
    expect(frame).toMatch(/q\/C-c +quit/);
    expect(frame).toMatch(/> +sort by next column/);
    await press(ui, 'esc');
    await frameHas(ui, 'job-00000.timer');
  });

  it('completes palette text with Tab and runs it with Enter', async () => {
    const { ui } = await start();
    await press(ui, ':', 'tim');
    await frameHas(ui, 'timer.trigger (Run the job now)');
    await press(ui, 'tab');
    await frameHas(ui, ':timer');
    await press(ui, 's', 'enter');
    await frameHas(ui, 'job-00000.timer');
    await press(ui, ':', 'env test', 'enter');
    await frameHas(ui, 'no timers configured in test');
    await press(ui, ':', 'cer', 'enter'); // the one command starting so
    await frameHas(ui, 'no certificates configured in test');
    await press(ui, ':', 'nodes', 'enter');
    await frameHas(ui, 'test-web');
    await press(ui, ':', 'bogus', 'enter');
    await frameHas(ui, ':bogus: no such command (Tab completes)');
  });

  it('asks for the target name before a typed action and runs it once it matches', async () => {
    const { ui, runners } = await start();
    await press(ui, '3', 'P');
    await frameHas(ui, 'type node0 to confirm');
    await press(ui, 'enter');
    await frameHas(ui, 'Enter is disabled');
    await press(ui, 'node0', 'enter');
    await frameHas(ui, 'Purge the journal');
    const run = runners.get('production')!.runs[0]!;
    run.hooks.progress({ type: 'percent', value: 50 });
    run.hooks.progress({ type: 'log', line: 'vacuuming' });
    await frameHas(ui, '50%');
    await frameHas(ui, 'vacuuming');
    run.resolve({ ok: true, message: 'purged' });
    await frameHas(ui, '✓ purged');
    await press(ui, 'esc');
    await frameHas(ui, 'job-00000.timer');
  });

  it('flashes the refusal in read-only mode instead of running', async () => {
    const { ui, runners } = await start({ readonly: true });
    await frameHas(ui, 'READONLY');
    await press(ui, 'b');
    await frameHas(ui, 'Reboot: read-only mode');
    expect(runners.get('production')!.runs).toHaveLength(0);
  });

  it('shows the details of the selected row on Enter', async () => {
    const { ui } = await start();
    await press(ui, 'j', 'enter');
    const frame = await frameHas(ui, 'Nodes: ');
    expect(frame).toMatch(/NAME\s+nmpi|NAME\s+ims/);
  });

  it('asks for a bigger terminal below 80x24 and comes back when it grows', async () => {
    const { ui } = await start({ columns: 70, rows: 20 });
    await frameHas(ui, 'Enlarge the terminal to at least 80x24 (now 70x20)');
    ui.resize(100, 30);
    await frameHas(ui, 'backup1');
  });

  it('quits on q', async () => {
    const { ui, onQuit } = await start();
    await press(ui, 'q');
    expect(onQuit).toHaveBeenCalled();
  });

  it('hands the terminal to the shell of the selected node and comes back with its state', async () => {
    const seen: { argv: string[]; frame: string }[] = [];
    const { ui } = await start({
      shell: (env, node) => ({ argv: ['ssh', '-J', 'bastion', `${node}.${env}`] }),
      handOver: (argv) => {
        seen.push({ argv, frame: ui.lastFrame() ?? '' });
        return { status: 0 };
      },
    });
    await press(ui, 'j', 's');
    await frameHas(ui, 'shell on nmpi ended (exit 0)');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.argv).toEqual(['ssh', '-J', 'bastion', 'nmpi.production']);
    expect(seen[0]!.frame).not.toContain('opsconsole');
    await press(ui, 'j', 'enter');
    await frameHas(ui, 'Nodes: backup1');
  });

  it('says why there is no shell off the nodes panel or without a shell driver', async () => {
    const { ui } = await start();
    await press(ui, 's');
    await frameHas(ui, 'shell: not available here');
    await press(ui, '3', 's');
    await frameHas(ui, 's opens a shell on the node selected in the Nodes panel');
  });

  it('moves through 10,000 timers without per-row work on each key', async () => {
    const fake = await fakeServices([{ name: 'production', protect: false, add: (s) => s.add('timers@node0', 'timers', timers(10_000)) }]);
    ui = renderAt(<App services={fake.services} kinds={testKinds()} initialEnv="production" initialPanel="timers" onQuit={() => {}} now={now} />, {
      columns: 80,
      rows: 24,
    });
    await frameHas(ui, 'job-00000.timer');
    const started = performance.now();
    for (let i = 0; i < 20; i++) await press(ui, 'j');
    await press(ui, 'G');
    const frame = await frameHas(ui, 'job-09999.timer');
    // Generous: a keypress costs ~15 ms here; formatting every row would cost far more.
    expect((performance.now() - started) / 21).toBeLessThan(150);
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
    expect(frame).toContain('10000 timers');
  });

  it('cancels a running action with c and keeps its result up until dismissed', async () => {
    const { ui, runners } = await start();
    await press(ui, '3', 't');
    const run = runners.get('production')!.runs[0]!;
    run.hooks.progress({ type: 'step', title: 'starting job-00000', index: 1, total: 2 });
    await frameHas(ui, '[1/2] starting job-00000');
    await frameHas(ui, 'c cancel');
    await press(ui, 'c');
    await frameHas(ui, '✗ cancelled');
    await frameHas(ui, 'Esc/Enter close');
    await press(ui, 'enter');
    const frame = await frameHas(ui, 'job-00000.timer');
    expect(frame).toContain('✗ Run the job now: cancelled');
  });
});
