import { describe, expect, it } from 'vitest';
import { serviceKind } from '../../../source/services/kind.ts';
import type { ServiceInstance } from '../../../source/services/model.ts';
import { cell } from '../demo/cells.ts';

const now = new Date('2026-12-01T07:00:00Z');
const blue: ServiceInstance = {
  env: 'production', service: 'nmpi', colour: 'blue', node: 'ginormica', image: 'cnrsunic/nmpi_queue_server:blue',
  version: '2.3.1', status: 'Up 3 hours (healthy)', health: 'healthy', live: true, ports: '443:443',
};
const green: ServiceInstance = { ...blue, colour: 'green', node: 'drcockroach', live: false, health: 'unhealthy', status: 'Up 2 minutes (unhealthy)' };

describe('serviceKind', () => {
  it('has the columns of the Services panel', () => {
    expect(serviceKind.columns.map((c) => c.title)).toEqual(['SERVICE', 'COLOUR', 'LIVE', 'NODE', 'IMAGE', 'VERSION', 'HEALTH', 'STATUS', 'PORTS']);
  });

  it('shows the live colour in the accent tone', () => {
    expect(cell(serviceKind, 'COLOUR', blue, now)).toEqual({ text: 'blue', tone: 'accent' });
    expect(cell(serviceKind, 'LIVE', blue, now)).toEqual({ text: 'live', tone: 'accent' });
    expect(cell(serviceKind, 'COLOUR', green, now).tone).toBe('normal');
  });

  it('marks an unhealthy colour as an error', () => {
    expect(cell(serviceKind, 'HEALTH', green, now)).toEqual({ text: 'unhealthy', tone: 'error' });
  });

  it('cuts over to the selected idle colour, not to the live or an unhealthy one', () => {
    const cutover = serviceKind.actions.find((a) => a.id === 'service.cutover')!;
    expect(cutover.fromRow!({ ...green, health: 'healthy' })).toEqual({ service: 'nmpi', to: 'green' });
    expect(cutover.disabled!({ ...green, health: 'healthy' })).toBeUndefined();
    expect(cutover.disabled!(blue)).toBe('nmpi-blue is already live');
    expect(cutover.disabled!(green)).toBe('nmpi-green is unhealthy');
  });

  it('refuses to terminate the live colour', () => {
    const terminate = serviceKind.actions.find((a) => a.id === 'service.terminate')!;
    expect(terminate.confirm).toBe('typed');
    expect(terminate.disabled!(blue)).toMatch(/is live/);
    expect(terminate.disabled!(green)).toBeUndefined();
    expect(terminate.target(terminate.fromRow!(green))).toBe('nmpi-green');
  });

  it('rejects a colour that is neither blue nor green before calling the backend', async () => {
    const cutover = serviceKind.actions.find((a) => a.id === 'service.cutover')!;
    const ctx = { env: 'production', backend: {} as never, signal: new AbortController().signal, progress: () => {} };
    expect(await cutover.run(ctx, { service: 'nmpi', to: 'purple' })).toMatchObject({ ok: false, message: 'unknown colour "purple"' });
  });
});
