/** Errors of the SSH layer. Every message names the node (or bastion) and the reason. */
export type SshErrorCode =
  | 'unreachable' // TCP refused/timeout, keepalive timeout, connection lost
  | 'timeout' // connect, forward or command timeout
  | 'auth' // all authentication methods failed
  | 'hostkey-unknown'
  | 'hostkey-changed'
  | 'channel' // could not open a channel (MaxSessions, forwarding refused)
  | 'aborted'
  | 'closed' // Fleet.close() was called
  | 'config';

export class SshError extends Error {
  override readonly name: string = 'SshError';
  constructor(
    /** Node name (or the bastion's name). */
    readonly node: string,
    readonly code: SshErrorCode,
    /** Human reason without the node prefix, e.g. `keepalive timeout`. */
    readonly reason: string,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(message ?? `node ${node} unreachable: ${reason}`, options);
  }
}

export class HostKeyUnknownError extends SshError {
  override readonly name = 'HostKeyUnknownError';
  constructor(
    node: string,
    readonly host: string,
    readonly port: number,
    readonly fingerprint: string,
    /** The raw key blob, so a UI can offer `trustHostKey` after showing the fingerprint. */
    readonly key: Buffer,
  ) {
    super(
      node,
      'hostkey-unknown',
      `host key unknown (${fingerprint})`,
      `${node} (${hostPort(host, port)}): host key is not known: ${fingerprint}. Refusing to connect; verify the fingerprint out of band, then trust it.`,
    );
  }
}

export class HostKeyChangedError extends SshError {
  override readonly name = 'HostKeyChangedError';
  constructor(
    node: string,
    readonly host: string,
    readonly port: number,
    readonly expected: string[],
    readonly actual: string,
    readonly revoked = false,
  ) {
    super(
      node,
      'hostkey-changed',
      revoked ? `host key ${actual} is REVOKED` : `HOST KEY CHANGED: expected ${expected.join(' or ')}, got ${actual}`,
      revoked
        ? `${node} (${hostPort(host, port)}): HOST KEY IS REVOKED: ${actual}. Refusing to connect.`
        : `${node} (${hostPort(host, port)}): HOST KEY HAS CHANGED! Someone could be eavesdropping (man-in-the-middle), or the host was reinstalled. Expected ${expected.join(' or ')}, but the host sent ${actual}. Refusing to connect.`,
    );
  }
}

/**
 * The host key error behind `err`, if any: a node behind an untrusted bastion fails with the
 * bastion's error as its cause.
 */
export function hostKeyErrorOf(err: unknown): HostKeyUnknownError | HostKeyChangedError | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e instanceof HostKeyUnknownError || e instanceof HostKeyChangedError) return e;
  }
  return undefined;
}

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
