import { describe, expect, it } from 'vitest';
import { secretKind } from '../../../source/secrets/kind.ts';
import type { SecretInfo } from '../../../source/secrets/model.ts';
import { cell } from '../demo/cells.ts';

const now = new Date('2026-12-01T07:00:00Z');
const token: SecretInfo = { env: 'production', name: 'digitalocean-token', store: 'keychain', state: 'missing', referencedBy: ['clouds.digitalocean.token', 'nodes.create'] };

describe('secretKind', () => {
  it('shows name, environment, store, state and what refers to it', () => {
    expect(secretKind.columns.map((c) => c.title)).toEqual(['NAME', 'ENV', 'STORE', 'STATE', 'REFERENCED BY']);
    expect(cell(secretKind, 'STATE', token, now)).toEqual({ text: 'missing', tone: 'error' });
    expect(cell(secretKind, 'REFERENCED BY', token, now).text).toBe('clouds.digitalocean.token, nodes.create');
    expect(secretKind.rowId(token)).toBe('production/keychain:digitalocean-token');
  });
});
