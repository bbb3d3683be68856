import { defineAction } from '../app/action.ts';
import type { SecretInfo } from './model.ts';

/**
 * Sets a keychain secret from the Secrets panel. The value is typed into a hidden field; there
 * is no CLI form of this action on purpose (argv is visible in `ps`): the CLI has
 * `opsconsole secrets set NAME`, which reads a hidden prompt or standard input.
 */
export const setSecret = defineAction<{ name: string; value: string }>({
  id: 'secret.set',
  title: 'Set in the keychain',
  kind: 'secrets',
  key: 'a',
  params: [
    { name: 'name', description: 'secret name (keychain:NAME in the config)' },
    { name: 'value', description: 'value (typed hidden, never shown)', hidden: true },
  ],
  ask: ['value'],
  destructive: false,
  confirm: 'none',
  target: (a) => `keychain:${a.name}`,
  fromRow: (s: SecretInfo) => ({ name: s.name, value: '' }),
  disabled: (s: SecretInfo) => (s.store === 'env' ? `${s.name} is an env: reference: export ${s.name} instead` : undefined),
  run: (ctx, a) => (a.value ? ctx.backend.secrets.set(ctx, a.name, a.value) : Promise.resolve({ ok: false, message: 'empty value: nothing stored' })),
});

export const deleteSecret = defineAction<{ name: string }>({
  id: 'secret.delete',
  title: 'Delete from the keychain',
  kind: 'secrets',
  key: 'D',
  destructive: true,
  confirm: 'yes',
  target: (a) => `keychain:${a.name}`,
  fromRow: (s: SecretInfo) => ({ name: s.name }),
  disabled: (s: SecretInfo) => (s.store === 'env' ? `${s.name} is an env: reference, not in the keychain` : s.state === 'missing' ? `keychain:${s.name} is not set` : undefined),
  run: (ctx, a) => ctx.backend.secrets.delete(ctx, a.name),
});

export const secretActions = [setSecret, deleteSecret];
