export type SecretState = 'set' | 'missing' | 'unreadable';

/** A secret reference of the config; its value is never part of the model. */
export interface SecretInfo {
  env: string;
  name: string;
  store: 'keychain' | 'env';
  state: SecretState;
  referencedBy: string[];
  /** Why the state is `unreadable` (a locked keyring, a keychain that did not answer). */
  problem?: string;
}
