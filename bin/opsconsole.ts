// argv -> a one-shot command or the full-screen app. Kept small: everything the first frame
// does not need is imported lazily (DESIGN.md "Build and start-up").
import { parseCommandLine, type ParsedArgs } from '../source/cli/args.ts';
import { openComposition, reportError, type Io } from '../source/cli/main.ts';
import { runCommand } from '../source/cli/commands.ts';
import { extensions } from '../source/cli/extensions.ts';
import pkg from '../package.json' with { type: 'json' };

const io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };

async function runConsole(args: ParsedArgs): Promise<number> {
  const comp = await openComposition(args, io);
  const { runApp } = await import('../screens/run.tsx');
  try {
    await runApp(comp.services, { initialEnv: comp.initialEnv });
  } finally {
    await comp.close();
  }
  return 0;
}

async function start(): Promise<number> {
  const args = parseCommandLine(process.argv.slice(2));
  if (args.options.version) {
    io.stdout.write(`opsconsole ${pkg.version}\n`);
    return 0;
  }
  if (args.words.length === 0 && !args.options.help) return runConsole(args);
  return runCommand(args, io, extensions);
}

const code = await start().catch((err: unknown) => reportError(err, io));
// Open SSH connections or keychain workers must not keep a finished command alive.
process.stdout.write('', () => process.exit(code));
