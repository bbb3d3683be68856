/**
 * POSIX shell quoting. The remote sshd runs a command through the user's login shell, so an
 * argv must be joined into ONE string there; we quote every argument exactly once, with single
 * quotes (nothing is special inside them except `'`, written as `'\''`).
 */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteArg(arg: string): string {
  if (arg.includes('\0')) throw new TypeError('argument contains a NUL byte, which no shell can pass');
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new TypeError('empty argv');
  return argv.map(quoteArg).join(' ');
}

/**
 * Wraps argv so that closing the channel's stdin (EOF) terminates the remote command.
 * Needed because sshd without a pty neither signals the command when the channel closes nor
 * (OpenSSH 9.2: "session signalling requires privilege separation") honours `signal` requests.
 * A watchdog reads the real stdin (the command gets /dev/null); at EOF it sends TERM to the
 * session's process group, which sshd made with setsid(). Requires a POSIX `sh` on the host.
 */
const CANCEL_WRAPPER = [
  'exec 3<&0 </dev/null',
  '{ while read -r _; do :; done; kill -TERM 0; } <&3 >/dev/null 2>&1 &',
  'w=$!',
  'exec 3<&-',
  '"$@" &',
  'p=$!',
  'wait $p',
  's=$?',
  'kill $w 2>/dev/null',
  'exit $s',
].join('; ');

export function cancellableCommand(argv: readonly string[]): string {
  return quoteArgv(['sh', '-c', CANCEL_WRAPPER.replace(/&;/g, '&'), 'opsconsole-run', ...argv]);
}
