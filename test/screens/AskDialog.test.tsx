import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'ink-testing-library';
import { AskDialog, askReducer, initialAsk } from '../../screens/dialogs/AskDialog.tsx';
import { askRequest, withAnswers } from '../../hooks/useActionRun.ts';
import type { Action } from '../../source/app/action.ts';
import { App } from '../../screens/App.tsx';
import { renderAt } from '../helpers/render.ts';
import type { Rendered } from '../helpers/render.ts';
import { frameHas, press } from '../helpers/press.ts';
import { fakeServices, nodeKind, testKinds } from './fakes.ts';
import type { FleetNodeRow } from './fakes.ts';

const tunnel: Action<{ node: string; port: string; local?: string }> = {
  id: 'node.tunnel',
  title: 'Open a tunnel',
  kind: 'nodes',
  key: 'o',
  params: [
    { name: 'node', description: 'node name, as on the Nodes panel' },
    { name: 'port', description: 'port on the node' },
    { name: 'local', description: 'local port (default: any free one)', optional: true },
  ],
  ask: ['port', 'local'],
  destructive: false,
  confirm: 'none',
  readonly: true,
  target: (a) => `${a.node}:${a.port}`,
  fromRow: (n: FleetNodeRow) => ({ node: n.name, port: n.name === 'ims' ? '8080' : '' }),
  run: async () => ({ ok: true, message: 'open' }),
};

let ui: { unmount(): void } | undefined;
afterEach(() => {
  ui?.unmount();
  ui = undefined;
});

describe('AskDialog', () => {
  it('shows one field per asked param, labelled by its description and prefilled', () => {
    const request = askRequest(tunnel, { node: 'ims', port: '8080' })!;
    const r = render(<AskDialog request={request} onSubmit={() => {}} onCancel={() => {}} width={80} />);
    ui = r;
    const frame = r.lastFrame()!;
    expect(frame).toContain('Open a tunnel node ims');
    expect(frame).toContain('port on the node *');
    expect(frame).toContain('> 8080');
    expect(frame).toContain('local port (default: any free one)');
    expect(frame).toContain('Tab next field · Enter runs · Esc cancels');
  });

  it('edits the focused field, moves with Tab and Shift-Tab, and answers in field order on Enter', async () => {
    const onSubmit = vi.fn();
    const r = render(<AskDialog request={askRequest(tunnel, { node: 'ims', port: '8080' })!} onSubmit={onSubmit} onCancel={() => {}} width={80} />);
    ui = r;
    await press(r, 'backspace', 'backspace', '443', 'tab', '9443', 'shiftTab', '3');
    await frameHas(r, '> 804433');
    await press(r, 'enter');
    expect(onSubmit).toHaveBeenCalledWith(['804433', '9443']);
  });

  it('cancels on Esc and refuses Enter while a needed field is empty', async () => {
    const onCancel = vi.fn();
    const onSubmit = vi.fn();
    const r = render(<AskDialog request={askRequest(tunnel, { node: 'nmpi', port: '' })!} onSubmit={onSubmit} onCancel={onCancel} width={80} />);
    ui = r;
    await press(r, 'enter');
    await frameHas(r, 'port is needed');
    expect(onSubmit).not.toHaveBeenCalled();
    await press(r, 'esc');
    expect(onCancel).toHaveBeenCalled();
  });

  it('keeps a burst typed in one chunk, Enter included', () => {
    const request = askRequest(tunnel, { node: 'ims', port: '' })!;
    const s = askReducer(request, initialAsk(request), ['8', '0', '8', '0', 'enter']);
    expect(s).toMatchObject({ values: ['8080', ''], answer: 'submit' });
  });

  it('leaves an optional field left empty out of the arguments', () => {
    const request = askRequest(tunnel, { node: 'ims', port: '1' })!;
    expect(withAnswers({ node: 'ims', port: '1' }, request.fields, ['5432', ' '])).toEqual({ node: 'ims', port: '5432' });
    expect(withAnswers({ node: 'ims' }, request.fields, ['5432', '15432'])).toEqual({ node: 'ims', port: '5432', local: '15432' });
  });
});

describe('an action with asked params in the app', () => {
  async function start() {
    const kinds = testKinds();
    kinds.nodes = { ...nodeKind, actions: [...nodeKind.actions, tunnel] };
    const fake = await fakeServices([
      { name: 'production', protect: false, add: (s) => s.add('nodes@openstack', 'nodes', [{ name: 'ims', state: 'active' }, { name: 'nmpi', state: 'active' }]) },
    ]);
    const r: Rendered = renderAt(<App services={fake.services} kinds={kinds} initialEnv="production" onQuit={() => {}} now={new Date('2026-12-01T07:30:00Z')} />, { columns: 100, rows: 30 });
    ui = r;
    await frameHas(r, 'nmpi');
    return { ui: r, runs: fake.runners.get('production')!.runs };
  }

  it('asks first, then runs the action with the answers through the runner', async () => {
    const { ui, runs } = await start();
    await press(ui, 'o');
    await frameHas(ui, 'port on the node');
    expect(runs).toHaveLength(0);
    await press(ui, 'backspace', 'backspace', 'backspace', 'backspace', '5432', 'tab', '15432', 'enter');
    await frameHas(ui, 'working…');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.args).toEqual({ node: 'ims', port: '5432', local: '15432' });
    runs[0]!.resolve({ ok: false, message: 'the demo fleet has no real ims to tunnel to' });
    await frameHas(ui, '✗ Open a tunnel: the demo fleet has no real ims to tunnel to');
  });

  it('runs nothing when the form is cancelled, and the keys go back to the panel', async () => {
    const { ui, runs } = await start();
    await press(ui, 'o');
    await frameHas(ui, 'port on the node');
    await press(ui, 'esc');
    await press(ui, 'j', 'enter');
    await frameHas(ui, 'Nodes: nmpi');
    expect(runs).toHaveLength(0);
  });
});
