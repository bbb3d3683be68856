import type { ResourceKind } from '../app/kind.ts';
import type { Tone } from '../app/status.ts';
import type { SecretInfo, SecretState } from './model.ts';
import { secretActions } from './actions.ts';

const stateTones: Record<SecretState, Tone> = { set: 'ok', missing: 'error', unreadable: 'warn' };

/** Secrets are shown by reference and state only: the model has no value to show. */
export const secretKind: ResourceKind<SecretInfo> = {
  id: 'secrets',
  title: 'Secrets',
  rowId: (s) => `${s.env}/${s.store}:${s.name}`,
  searchText: (s) => [`${s.store}:${s.name}`, s.state, ...s.referencedBy].join(' '),
  columns: [
    { key: 'name', title: 'NAME', value: (s) => s.name },
    { key: 'env', title: 'ENV', value: (s) => s.env },
    { key: 'store', title: 'STORE', value: (s) => s.store },
    { key: 'state', title: 'STATE', maxWidth: 40, value: (s) => s.state, format: (s) => (s.problem ? `${s.state}: ${s.problem}` : s.state), tone: (s) => stateTones[s.state] },
    { key: 'referencedBy', title: 'REFERENCED BY', grow: true, value: (s) => s.referencedBy.join(', ') || '-', tone: (s) => (s.referencedBy.length ? 'normal' : 'muted') },
  ],
  details: (s) => [
    { label: 'Reference', value: `${s.store}:${s.name}` },
    { label: 'Environment', value: s.env },
    { label: 'State', value: s.state, tone: stateTones[s.state] },
    ...(s.problem ? [{ label: 'Problem', value: s.problem, tone: 'warn' as const }] : []),
    { label: 'Referenced by', value: s.referencedBy.join(', ') || '-' },
  ],
  actions: secretActions,
};
