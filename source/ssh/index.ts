// The SSH fleet layer. Import this lazily (`await import('../ssh/index.ts')`) from code on the
// first frame's path: ssh2 itself is loaded only when the first connection is made.
export { Fleet, DEFAULT_SSH_TIMING } from './fleet.ts';
export type { BastionSpec, ExecOptions, ExecResult, FleetOptions, NodeSpec, PingResult, StreamOptions } from './fleet.ts';
export { SshError, HostKeyChangedError, HostKeyUnknownError } from './errors.ts';
export type { SshErrorCode } from './errors.ts';
export { ForwardError } from './connection.ts';
export {
  checkHostKey,
  defaultOwnKnownHosts,
  defaultUserKnownHosts,
  fingerprint,
  parseKnownHosts,
  trustHostKey,
} from './known-hosts.ts';
export type { HostKeyCheck, KnownHostsEntry } from './known-hosts.ts';
export { defaultSshConfigPath, mergeSshHost, parseJumpSpec, readSshHost, resolveSshHost } from './ssh-config.ts';
export type { SshHostSettings } from './ssh-config.ts';
export { quoteArg, quoteArgv, cancellableCommand } from './quote.ts';
export { Backoff } from './backoff.ts';
export type { PassphraseCallback } from './auth.ts';
