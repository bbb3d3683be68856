import { UserError } from '../app/status.ts';
import type { ParsedArgs } from './args.ts';
import { openLive, type Io } from './main.ts';

/** `opsconsole journal NODE UNIT [--tail N] [--since TIME] [-f]`: a unit's journal on stdout. */
export async function journalCommand(args: ParsedArgs, io: Io): Promise<number> {
  const [, node, unit, ...more] = args.words;
  if (!node || !unit || more.length) throw new UserError('usage: opsconsole journal NODE UNIT [--tail N] [--since TIME] [-f]', undefined, 2);
  const { live, env } = await openLive(args, io, { message: 'the demo fleet has no journal to read', hint: 'in the console, press l on a timer to follow its (simulated) journal' });
  const fleet = await live.fleetFor(env);
  const { createUnitsDriver } = await import('../units/driver.ts');
  const { timestamp } = await import('../app/format.ts');
  const units = createUnitsDriver(fleet);
  const print = (e: { time: Date; identifier?: string; message: string }) =>
    io.stdout.write(`${timestamp(e.time)} ${e.identifier ? `${e.identifier}: ` : ''}${e.message}\n`);
  const lines = args.options.tail ?? 50;
  let since: Date | undefined;
  if (args.options.since) {
    const { sinceOf } = await import('../units/actions.ts');
    const parsed = sinceOf(args.options.since);
    if (parsed === null) throw new UserError(`--since wants a time (2026-12-01T02:00Z) or a duration (2h), not "${args.options.since}"`, undefined, 2);
    since = parsed;
  }
  try {
    if (args.options.follow) {
      const abort = new AbortController();
      const stop = () => abort.abort();
      process.once('SIGINT', stop);
      try {
        await units.follow(node, unit, { lines, onEntry: print, signal: abort.signal, ...(since ? { since } : {}) });
      } finally {
        process.off('SIGINT', stop);
      }
    } else if (since) {
      const { streamJournal } = await import('../units/journal.ts');
      await streamJournal(fleet, node, unit, { since, follow: false, onEntry: print, onError: (l) => io.stderr.write(`${l}\n`) });
    } else {
      for (const e of await units.journal(node, unit, { lines })) print(e);
    }
    return 0;
  } finally {
    await fleet.close();
  }
}
