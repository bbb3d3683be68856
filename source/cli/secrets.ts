import { createInterface } from 'node:readline/promises';
import { UserError } from '../app/status.ts';
import type { ParsedArgs } from './args.ts';
import { openLive, type Io } from './main.ts';
import { secretRefsOf } from '../config/summary.ts';

/** `opsconsole secrets set|list|delete|import-env`: values only over a hidden prompt or stdin. */
export async function secretsCommand(args: ParsedArgs, io: Io): Promise<number> {
  const [, sub, name, ...more] = args.words;
  const { live, loaded, env } = await openLive(args, io, { message: 'secrets work on the OS keychain, not the demo fleet', hint: 'run without --demo' });
  const cli = await import('../secrets/cli.ts');
  const needKeychain = () => {
    if (!live.keychain) throw new UserError('--no-keychain is set: there is no keychain to change', undefined, 2);
    return live.keychain;
  };
  if (more.length) throw new UserError(`unexpected argument "${more[0]}"`, 'see `opsconsole --help`', 2);
  switch (sub) {
    case 'set':
      if (!name) throw new UserError('usage: opsconsole secrets set NAME [-e ENV]', 'the value is read from a hidden prompt or standard input, never the command line', 2);
      return cli.secretsSet({ name, env, keychain: needKeychain(), input: io.stdin, output: io.stdout, errors: io.stderr, isTTY: Boolean(io.stdin.isTTY) });
    case 'delete':
      if (!name) throw new UserError('usage: opsconsole secrets delete NAME [-e ENV]', undefined, 2);
      return cli.secretsDelete({ name, env, keychain: needKeychain(), output: io.stdout, errors: io.stderr });
    case 'list':
    case undefined:
      if (name) throw new UserError(`unexpected argument "${name}"`, undefined, 2);
      return cli.secretsList({ refs: secretRefsOf(loaded.config, args.options.env), keychain: live.keychain, json: args.options.json, output: io.stdout, errors: io.stderr, env: io.env });
    case 'import-env':
      return cli.secretsImportEnv({
        env: io.env,
        environment: env,
        ...(name ? { prefix: name } : {}),
        keychain: needKeychain(),
        output: io.stdout,
        errors: io.stderr,
        confirm: async () => {
          if (args.options.yes) return true;
          if (!io.stdin.isTTY) return false;
          const rl = createInterface({ input: io.stdin, output: io.stdout });
          const answer = await rl.question('Move them into the keychain? [y/N] ');
          rl.close();
          return /^y(es)?$/i.test(answer.trim());
        },
      });
    default:
      throw new UserError(`unknown secrets command "${sub}"`, 'set, list, delete or import-env', 2);
  }
}
