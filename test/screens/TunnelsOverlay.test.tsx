import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../screens/App.tsx';
import { renderAt } from '../helpers/render.ts';
import type { Rendered } from '../helpers/render.ts';
import { frameHas, press } from '../helpers/press.ts';
import { fakeServices, fakeTunnels, testKinds, tunnelView } from './fakes.ts';

let ui: Rendered | undefined;
afterEach(() => {
  ui?.unmount();
  ui = undefined;
});

async function start(tunnels: ReturnType<typeof fakeTunnels>) {
  const fake = await fakeServices(
    [{ name: 'production', protect: false, add: (s) => s.add('nodes@openstack', 'nodes', [{ name: 'ims', state: 'active' }, { name: 'grafana', state: 'active' }]) }],
    { tunnels: tunnels.port },
  );
  ui = renderAt(<App services={fake.services} kinds={testKinds()} initialEnv="production" onQuit={() => {}} now={new Date('2026-12-01T07:30:00Z')} />, { columns: 140, rows: 30 });
  await frameHas(ui, 'grafana');
  return { ui, runs: fake.runners.get('production')!.runs };
}

describe('the tunnels overlay', () => {
  it('opens on u, says when nothing is open, and closes on Esc', async () => {
    const { ui } = await start(fakeTunnels());
    expect(ui.lastFrame()).not.toContain('tunnel open');
    await press(ui, 'u');
    await frameHas(ui, 'no open tunnels · o on the Nodes panel opens one');
    await press(ui, 'esc');
    await frameHas(ui, 'grafana');
  });

  it('lists open tunnels with their counters and last error, and x closes the selected one', async () => {
    const t = fakeTunnels();
    t.set([
      tunnelView(1, 'ims', 80, 8080, { connections: 2 }),
      tunnelView(2, 'grafana', 3000, 3000, { name: 'grafana', failures: 1, lastError: 'grafana:3000: Connection refused' }),
    ]);
    const { ui } = await start(t);
    await frameHas(ui, 'u 2 tunnels open');
    await press(ui, 'u');
    let frame = await frameHas(ui, 'http://127.0.0.1:8080 -> ims:80');
    expect(frame).toContain('2 connections · 0 failures');
    expect(frame).toContain('grafana  http://127.0.0.1:3000 -> grafana:3000');
    expect(frame).toContain('1 failure · last error: grafana:3000: Connection refused');
    await press(ui, 'j', 'x');
    await frameHas(ui, 'closed the tunnel to grafana:3000 (local port 3000)');
    expect(t.closed).toEqual([{ env: 'production', id: 2 }]);
    frame = await frameHas(ui, 'u 1 tunnel open');
    expect(frame).not.toContain('-> grafana:3000');
  });

  it('follows tunnels opening and closing while it is up', async () => {
    const t = fakeTunnels();
    const { ui } = await start(t);
    await press(ui, 'u');
    await frameHas(ui, 'no open tunnels');
    t.set([tunnelView(7, 'ims', 5432, 15432)]);
    await frameHas(ui, 'http://127.0.0.1:15432 -> ims:5432');
    t.set([]);
    await frameHas(ui, 'no open tunnels');
  });

  it('opens a named tunnel of the config on Enter through the node.tunnel action, without asking', async () => {
    const t = fakeTunnels([
      { name: 'grafana', node: 'grafana', port: 3000 },
      { name: 'db', node: 'ims', port: 5432, localPort: 15432 },
    ]);
    t.set([tunnelView(1, 'grafana', 3000, 3000, { name: 'grafana' })]);
    const { ui, runs } = await start(t);
    await press(ui, 'u');
    const frame = await frameHas(ui, 'Named in the config');
    expect(frame).toContain('db ims:5432 on local 15432 · Enter opens');
    expect(frame).not.toMatch(/grafana grafana:3000/); // already open
    await press(ui, 'j', 'enter');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.action.id).toBe('node.tunnel');
    expect(runs[0]!.args).toEqual({ node: 'ims', port: '5432', local: '15432' });
    runs[0]!.resolve({ ok: false, message: 'the demo fleet has no real ims to tunnel to' });
    await frameHas(ui, '✗ Open a tunnel: the demo fleet has no real ims to tunnel to');
    expect(ui.lastFrame()).toContain('Tunnels · j/k choose');
  });

  it('stops listening to the tunnels when the app goes away', async () => {
    const t = fakeTunnels();
    const { ui } = await start(t);
    expect(t.listeners.size).toBeGreaterThan(0);
    ui.unmount();
    expect(t.listeners.size).toBe(0);
  });
});
