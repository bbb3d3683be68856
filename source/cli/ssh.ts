import { spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import { UserError } from '../app/status.ts';
import type { ParsedArgs } from './args.ts';
import { openLive, type Io } from './main.ts';

/** The environment's fleet, for a command that needs real nodes. */
async function fleetOf(args: ParsedArgs, io: Io, what: string) {
  const { live, env } = await openLive(args, io, { message: `${what} needs real nodes: the demo fleet has none`, hint: 'run it with a config (-c FILE)' });
  return live.fleetFor(env);
}

/** `opsconsole ssh NODE [-- CMD]` and `opsconsole ssh trust NODE`. */
export async function sshCommand(args: ParsedArgs, io: Io): Promise<number> {
  const [, first, second, ...more] = args.words;
  if (first === 'trust') {
    if (!second || more.length) throw new UserError('usage: opsconsole ssh trust NODE', undefined, 2);
    return trustCommand(args, io, second);
  }
  if (!first || second) throw new UserError('usage: opsconsole ssh NODE [-- CMD]', undefined, 2);
  const fleet = await fleetOf(args, io, 'ssh');
  // The same hops, keys and known_hosts as the console's own connections, through OpenSSH:
  // it owns the terminal (pty size, resize, raw mode) better than any re-implementation.
  const argv = fleet.shellArgs(first, args.rest.length ? args.rest : undefined);
  const res = spawnSync(argv[0]!, argv.slice(1), { stdio: 'inherit' });
  await fleet.close();
  if (res.error) throw new UserError(`could not run ${argv[0]}: ${res.error.message}`, 'install the OpenSSH client (openssh-client)');
  return res.status ?? 1;
}

async function trustCommand(args: ParsedArgs, io: Io, node: string): Promise<number> {
  const fleet = await fleetOf(args, io, 'ssh trust');
  try {
    const { HostKeyChangedError, hostKeyErrorOf } = await import('../ssh/errors.ts');
    try {
      await fleet.connection(node);
      io.stdout.write(`${node}: host key already known; nothing to do\n`);
      return 0;
    } catch (caught) {
      const err = hostKeyErrorOf(caught);
      if (err instanceof HostKeyChangedError) {
        io.stderr.write(`${err.message}\nopsconsole will not replace a known key: remove the old line from known_hosts yourself once you know why it changed.\n`);
        return 1;
      }
      if (!err) throw caught;
      io.stdout.write(`${node} (${err.host}:${err.port}) presents host key\n  ${err.fingerprint}\n`);
      if (err.node !== node) io.stdout.write(`(this is the key of ${err.node}, the hop on the way to ${node})\n`);
      let yes = args.options.yes;
      if (!yes) {
        if (!io.stdin.isTTY) {
          io.stderr.write('compare it with the fingerprint from the host itself, then run again with --yes or in a terminal\n');
          return 1;
        }
        const rl = createInterface({ input: io.stdin, output: io.stdout });
        const answer = await rl.question('Compare it with the host\'s own fingerprint (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub). Trust it? Type "yes": ');
        rl.close();
        yes = answer.trim() === 'yes';
      }
      if (!yes) {
        io.stderr.write('not trusted; nothing written\n');
        return 1;
      }
      fleet.trust(err.node, err.key);
      fleet.disconnect(err.node);
      io.stdout.write(`trusted ${err.node} (${err.fingerprint}) in ${fleet.opts.ownKnownHosts}\n`);
      return err.node === node ? 0 : trustCommand(args, io, node);
    }
  } finally {
    await fleet.close();
  }
}

/** `opsconsole ssh-config`: OpenSSH Host blocks with ProxyJump for every node. */
export async function sshConfigCommand(args: ParsedArgs, io: Io): Promise<number> {
  if (args.words.length > 1) throw new UserError('usage: opsconsole ssh-config', undefined, 2);
  const fleet = await fleetOf(args, io, 'ssh-config');
  io.stdout.write(fleet.sshConfigBlocks());
  await fleet.close();
  return 0;
}
