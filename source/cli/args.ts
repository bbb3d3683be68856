import { parseArgs } from 'node:util';
import { UserError } from '../app/status.ts';

export const globalOptions = {
  config: { type: 'string', short: 'c' },
  env: { type: 'string', short: 'e' },
  demo: { type: 'boolean' },
  'demo-size': { type: 'string' },
  readonly: { type: 'boolean' },
  'no-keychain': { type: 'boolean' },
  json: { type: 'boolean' },
  tail: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  to: { type: 'string' },
  follow: { type: 'boolean', short: 'f' },
  since: { type: 'string' },
  local: { type: 'string' },
  bind: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

export interface Options {
  config?: string;
  env?: string;
  demo: boolean;
  demoSize?: number;
  readonly: boolean;
  noKeychain: boolean;
  json: boolean;
  tail?: number;
  yes: boolean;
  to?: string;
  follow: boolean;
  since?: string;
  local?: number;
  bind?: string;
  help: boolean;
  version: boolean;
}

export interface ParsedArgs {
  words: string[];
  /** Everything after `--`: a remote command for `ssh NODE -- CMD`. */
  rest: string[];
  options: Options;
}

function positiveInt(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw new UserError(`--${flag} wants a positive whole number, not "${text}"`, undefined, 2);
  return Number(text);
}

export function parseCommandLine(argv: string[]): ParsedArgs {
  const dash = argv.indexOf('--');
  const head = dash === -1 ? argv : argv.slice(0, dash);
  const rest = dash === -1 ? [] : argv.slice(dash + 1);
  let parsed;
  try {
    parsed = parseArgs({ args: head, options: globalOptions, allowPositionals: true, strict: true });
  } catch (err) {
    // node's messages are long ("... To specify a positional argument starting with a '-' ..."):
    // keep the first sentence.
    const msg = (err as Error).message.split('. ')[0]!.replace(/^Unknown option/, 'unknown option');
    throw new UserError(msg, 'see `opsconsole --help`', 2);
  }
  const v = parsed.values;
  const options: Options = {
    demo: v.demo ?? false,
    readonly: v.readonly ?? false,
    noKeychain: v['no-keychain'] ?? false,
    json: v.json ?? false,
    yes: v.yes ?? false,
    follow: v.follow ?? false,
    help: v.help ?? false,
    version: v.version ?? false,
  };
  if (v.config !== undefined) options.config = v.config;
  if (v.env !== undefined) options.env = v.env;
  if (v.to !== undefined) options.to = v.to;
  if (v.since !== undefined) options.since = v.since;
  if (v.bind !== undefined) options.bind = v.bind;
  const demoSize = positiveInt('demo-size', v['demo-size']);
  if (demoSize !== undefined) options.demoSize = demoSize;
  const tail = positiveInt('tail', v.tail);
  if (tail !== undefined) options.tail = tail;
  const local = positiveInt('local', v.local);
  if (local !== undefined) options.local = local;
  return { words: parsed.positionals, rest, options };
}
