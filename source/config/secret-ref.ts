/**
 * A reference to a secret as written in the config (`keychain:NAME`, `env:NAME`). It carries
 * no value: drivers resolve it through source/secrets at the moment they need it.
 */
export class SecretRef {
  constructor(
    readonly store: 'keychain' | 'env',
    readonly name: string,
  ) {}

  static parse(text: string): SecretRef | undefined {
    const m = /^(keychain|env):([A-Za-z0-9][A-Za-z0-9._-]*)$/.exec(text);
    return m ? new SecretRef(m[1] as 'keychain' | 'env', m[2]!) : undefined;
  }

  toString(): string {
    return `${this.store}:${this.name}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
