import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Action, ProgressEvent } from '../app/action.ts';
import { allActions, kinds } from '../app/registry.ts';
import { checkSnapshots, exitCodeOf, overall } from '../app/check.ts';
import { printJson, printTable } from '../app/print.ts';
import { UserError } from '../app/status.ts';
import type { ParsedArgs } from './args.ts';
import { helpText } from './help.ts';
import { listCommands, openComposition, useColor, type Io } from './main.ts';
import { confirmOnTerminal } from './prompt.ts';

export function usageError(message: string): UserError {
  return new UserError(message, 'see `opsconsole --help`', 2);
}

async function listCommand(args: ParsedArgs, io: Io, word: string): Promise<number> {
  const kindId = listCommands[word]!;
  if (args.words.length > 1) throw usageError(`"${word}" takes no arguments (got "${args.words[1]}")`);
  const comp = await openComposition(args, io);
  try {
    const store = comp.services.storeFor(comp.initialEnv);
    await store.loadOnce(kindId);
    let snap = store.snapshot(kindId);
    if (args.options.tail && kindId === 'audit') snap = { ...snap, rows: snap.rows.slice(0, args.options.tail) };
    const kind = kinds[kindId];
    const rows = snap.rows.map((r) => r.row);
    const now = new Date();
    if (args.options.json) {
      io.stdout.write(printJson(kind, rows, snap.sources) + '\n');
    } else {
      // Piped output is not truncated: grep and scripts want whole cells.
      io.stdout.write(printTable(kind, rows, { now, color: useColor(io), ...(io.stdout.isTTY && io.stdout.columns ? { width: io.stdout.columns } : {}) }));
      for (const s of snap.sources) {
        if (s.status.state === 'error') io.stderr.write(`${s.id}: ${s.status.message}\n`);
      }
    }
    return snap.sources.some((s) => s.status.state === 'error') ? 1 : 0;
  } finally {
    await comp.close();
  }
}

async function checkCommand(args: ParsedArgs, io: Io): Promise<number> {
  const comp = await openComposition(args, io);
  try {
    const store = comp.services.storeFor(comp.initialEnv);
    await store.loadOnce();
    const snaps = store.kindsWithSources().filter((k) => k !== 'audit' && k !== 'secrets').map((k) => store.snapshot(k));
    const now = new Date();
    const findings = checkSnapshots(snaps, now);
    const result = overall(findings);
    if (args.options.json) {
      io.stdout.write(JSON.stringify({ env: comp.initialEnv, result, findings }, null, 2) + '\n');
    } else {
      const counts = snaps.map((s) => `${s.rows.length} ${kinds[s.kind].title.toLowerCase()}`).join(', ');
      io.stdout.write(`${comp.initialEnv}: ${result.toUpperCase()} (${counts})\n`);
      for (const f of findings) io.stdout.write(`  ${f.severity === 'critical' ? 'CRIT' : 'WARN'}  ${kinds[f.kind].title.padEnd(12)} ${f.subject}: ${f.message}\n`);
    }
    return exitCodeOf[result];
  } finally {
    await comp.close();
  }
}

async function configCommand(args: ParsedArgs, io: Io): Promise<number> {
  const sub = args.words[1];
  if (sub === 'schema') {
    const { configJsonSchema } = await import('../config/json-schema.ts');
    io.stdout.write(JSON.stringify(configJsonSchema(), null, 2) + '\n');
    return 0;
  }
  const { findConfigPath } = await import('../config/discover.ts');
  const path = findConfigPath({ ...(args.options.config ? { flag: args.options.config } : {}), env: io.env });
  if (sub === 'init') {
    const { starterConfig } = await import('../config/starter.ts');
    const target = path ?? findConfigPath({ env: { ...io.env, OPSCONSOLE_CONFIG: '' } })!;
    if (existsSync(target)) throw new UserError(`${target} already exists; not overwriting it`, 'edit it, or pass -c NEWFILE', 2);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, starterConfig(), { flag: 'wx', mode: 0o600 });
    io.stdout.write(`wrote ${target}\n`);
    return 0;
  }
  if (sub === 'check') {
    if (!path) throw new UserError('no config file found', 'pass -c FILE or run `opsconsole config init`', 2);
    const { loadConfig } = await import('../config/load.ts');
    const { summarizeConfig } = await import('../config/summary.ts');
    const loaded = loadConfig(path);
    io.stdout.write(`${path}: ok\n${summarizeConfig(loaded)}\n`);
    return 0;
  }
  throw usageError(sub ? `unknown config command "${sub}"` : 'config wants a command: check, init or schema');
}

function findAction(words: string[]): { action: Action<any>; positionals: string[] } | undefined {
  let best: { action: Action<any>; positionals: string[] } | undefined;
  for (const action of allActions()) {
    const cli = action.cli;
    if (!cli || cli.length > words.length) continue;
    if (cli.every((w, i) => words[i] === w) && (!best || cli.length > best.action.cli!.length)) {
      best = { action, positionals: words.slice(cli.length) };
    }
  }
  return best;
}

function describeProgress(ev: ProgressEvent): string {
  switch (ev.type) {
    case 'step': return `==> ${ev.title}${ev.total && ev.index ? ` (${ev.index}/${ev.total})` : ''}`;
    case 'percent': return `    ${Math.round(ev.value)}%`;
    case 'bytes': return `    ${ev.done}${ev.total ? `/${ev.total}` : ''} bytes`;
    case 'log': return `    ${ev.line}`;
  }
}

async function actionCommand(args: ParsedArgs, io: Io, action: Action<any>, positionals: string[]): Promise<number> {
  const params = action.params ?? [];
  const values: Record<string, string> = {};
  const extra = [...positionals];
  for (const p of params) {
    const fromFlag = p.name === 'to' ? args.options.to : undefined;
    const v = fromFlag ?? extra.shift();
    if (v === undefined) {
      if (p.optional) continue;
      throw usageError(`${action.cli!.join(' ')}: missing ${p.name.toUpperCase()} (${p.description})`);
    }
    values[p.name] = v;
  }
  if (extra.length > 0) throw usageError(`${action.cli!.join(' ')}: unexpected argument "${extra[0]}"`);
  const comp = await openComposition(args, io);
  try {
    const runner = comp.services.runnerFor(comp.initialEnv);
    const handle = runner.run(action, values, {
      confirm: (req) => confirmOnTerminal(req, io, args.options.yes),
      progress: (ev) => io.stderr.write(describeProgress(ev) + '\n'),
    });
    const onSigint = () => handle.cancel();
    process.once('SIGINT', onSigint);
    const result = await handle.result.finally(() => process.off('SIGINT', onSigint));
    if (args.options.json) io.stdout.write(JSON.stringify({ action: action.id, ...result }) + '\n');
    else (result.ok ? io.stdout : io.stderr).write(`${result.message}\n${!result.ok && result.hint ? `  hint: ${result.hint}\n` : ''}`);
    return result.ok ? 0 : 1;
  } finally {
    await comp.close();
  }
}

export type Extension = (args: ParsedArgs, io: Io) => Promise<number>;

/** Runs a one-shot command; `extensions` are commands with drivers of their own (ssh, secrets). */
export async function runCommand(args: ParsedArgs, io: Io, extensions: Record<string, Extension> = {}): Promise<number> {
  const [word] = args.words;
  if (args.options.help || word === 'help') {
    io.stdout.write(helpText(allActions()));
    return 0;
  }
  if (word === undefined) throw usageError('no command');
  const ext = extensions[word];
  // The demo's secrets are rows like any other; real ones go through the keychain commands.
  const demoSecrets = word === 'secrets' && args.options.demo && (args.words[1] === undefined || args.words[1] === 'list');
  if (ext && !demoSecrets) return ext(args, io);
  if (word in listCommands) return listCommand(demoSecrets ? { ...args, words: ['secrets'] } : args, io, word);
  if (word === 'check') return checkCommand(args, io);
  if (word === 'config') return configCommand(args, io);
  const found = findAction(args.words);
  if (found) return actionCommand(args, io, found.action, found.positionals);
  throw usageError(`unknown command "${word}"`);
}
