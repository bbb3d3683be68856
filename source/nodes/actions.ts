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

export const openTunnel = defineAction<{ node: string; port: string; local?: string }>({
  id: 'node.tunnel',
  title: 'Open a tunnel',
  kind: 'nodes',
  key: 'o',
  params: [
    { name: 'node', description: 'node name, as on the Nodes panel' },
    { name: 'port', description: 'port on the node (from the node: 127.0.0.1:PORT)' },
    { name: 'local', description: 'local port (default: any free one)', optional: true },
  ],
  ask: ['port', 'local'],
  destructive: false,
  confirm: 'none',
  readonly: true, // opens a listener on loopback; changes nothing on the node
  target: (a) => `${a.node}:${a.port}`,
  fromRow: (n: FleetNode) => ({ node: n.name, port: String(n.ports?.[0] ?? '') }),
  run: async (ctx, a) => {
    const port = Number(a.port);
    if (!/^\d+$/.test(a.port) || port < 1 || port > 65535) return { ok: false, message: `port must be 1-65535, not "${a.port}"` };
    const local = a.local ? Number(a.local) : undefined;
    return ctx.backend.tunnels.open(ctx, a.node, port, local);
  },
});

/** The panel's answer to "host key unknown": show the fingerprint, ask, then trust it. */
export const trustHostKey = defineAction<{ node: string; fingerprint: string }>({
  id: 'node.trust',
  title: 'Trust the host key of',
  kind: 'nodes',
  key: 'T',
  destructive: true, // changes what opsconsole trusts: asks, and wants the name on protected environments
  confirm: 'yes',
  target: (a) => a.node,
  detail: (a) => `host key ${a.fingerprint}: compare it with the host's own (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub)`,
  fromRow: (n: FleetNode) => ({ node: n.name, fingerprint: n.reach.state === 'hostkey-unknown' ? n.reach.fingerprint : '' }),
  disabled: (n: FleetNode) =>
    n.reach.state === 'hostkey-unknown'
      ? undefined
      : n.reach.state === 'hostkey-changed'
        ? `the host key of ${n.name} CHANGED: opsconsole never replaces a known key; find out why, then edit known_hosts yourself`
        : `the host key of ${n.name} is not unknown`,
  run: (ctx, a) => ctx.backend.nodes.trust(ctx, a.node, a.fingerprint),
});

export const nodeActions = [rebootNode, openTunnel, trustHostKey];
