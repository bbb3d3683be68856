import { defineAction } from '../app/action.ts';
import type { FleetNode } from './model.ts';

export const rebootNode = defineAction<{ node: string }>({
  id: 'node.reboot',
  title: 'Reboot node',
  kind: 'nodes',
  key: 'R',
  cli: ['node', 'reboot'],
  params: [{ name: 'node', description: 'node name, as on the Nodes panel' }],
  destructive: true,
  confirm: 'yes',
  lock: (a) => `node:${a.node}`,
  target: (a) => a.node,
  fromRow: (n: FleetNode) => ({ node: n.name }),
  disabled: (n: FleetNode) => (n.state === 'building' ? `${n.name} is building` : n.state === 'stopped' ? `${n.name} is stopped` : undefined),
  run: (ctx, a) => ctx.backend.nodes.reboot(ctx, a.node, false),
});

export const nodeActions = [rebootNode];
