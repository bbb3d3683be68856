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
