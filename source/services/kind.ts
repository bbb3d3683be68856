import type { ResourceKind } from '../app/kind.ts';
import type { Tone } from '../app/status.ts';
import { fromNow } from '../app/format.ts';
import type { ServiceHealth, ServiceInstance } from './model.ts';
import { serviceActions } from './actions.ts';

const healthTones: Record<ServiceHealth, Tone> = { healthy: 'ok', unhealthy: 'error', starting: 'info', stopped: 'muted', unknown: 'muted' };

export const serviceKind: ResourceKind<ServiceInstance> = {
  id: 'services',
  title: 'Services',
  rowId: (s) => `${s.env}/${s.service}-${s.colour}@${s.node}`,
  searchText: (s) => [`${s.service}-${s.colour}`, s.live ? 'live' : 'idle', s.node, s.image, s.version, s.health, s.status, s.ports].join(' '),
  columns: [
    { key: 'service', title: 'SERVICE', value: (s) => s.service },
    { key: 'colour', title: 'COLOUR', value: (s) => s.colour, tone: (s) => (s.live ? 'accent' : 'normal') },
    { key: 'live', title: 'LIVE', value: (s) => (s.live ? 'live' : ''), tone: (s) => (s.live ? 'accent' : 'muted') },
    { key: 'node', title: 'NODE', value: (s) => s.node },
    { key: 'image', title: 'IMAGE', grow: true, value: (s) => s.image },
    { key: 'version', title: 'VERSION', maxWidth: 20, value: (s) => s.version },
    { key: 'health', title: 'HEALTH', value: (s) => s.health, tone: (s) => healthTones[s.health] },
    { key: 'status', title: 'STATUS', maxWidth: 28, value: (s) => s.status },
    { key: 'ports', title: 'PORTS', value: (s) => s.ports },
  ],
  // Colours of one service side by side, whichever node reports first.
  defaultSort: 'service',
  details: (s, now) => [
    { label: 'Service', value: `${s.service}-${s.colour}` },
    { label: 'Environment', value: s.env },
    { label: 'Traffic', value: s.live ? 'live: the router sends traffic here' : 'idle', tone: s.live ? 'accent' : 'muted' },
    { label: 'Node', value: s.node },
    { label: 'Image', value: s.image },
    { label: 'Version', value: s.version },
    { label: 'Health', value: s.health, tone: healthTones[s.health] },
    { label: 'Status', value: s.status },
    { label: 'Ports', value: s.ports },
    ...(s.startedAt ? [{ label: 'Started', value: `${s.startedAt.toISOString()} (${fromNow(s.startedAt, now)})` }] : []),
  ],
  actions: serviceActions,
};
