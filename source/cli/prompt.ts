import { createInterface } from 'node:readline/promises';
import type { ConfirmRequest } from '../app/runner.ts';
import type { Io } from './main.ts';

/**
 * The CLI's confirmation: y/N, or the target's name typed on protected environments.
 * Without a terminal, `--yes` answers y/N prompts; a typed confirmation cannot be given.
 */
export async function confirmOnTerminal(req: ConfirmRequest, io: Io, yes: boolean): Promise<boolean> {
  if (!io.stdin.isTTY) {
    if (req.mode === 'yes' && yes) return true;
    io.stderr.write(
      req.mode === 'typed'
        ? `${req.title} ${req.target} on protected environment ${req.env} needs the name typed: run it in a terminal\n`
        : `${req.title} ${req.target}: pass --yes to confirm without a terminal\n`,
    );
    return false;
  }
  if (req.mode === 'yes' && yes) return true;
  if (req.detail) io.stderr.write(`${req.detail}\n`);
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    if (req.mode === 'typed') {
      const answer = await rl.question(`${req.title} on ${req.env}${req.protect ? ' (PROTECTED)' : ''}. Type "${req.target}" to confirm: `);
      return answer.trim() === req.target;
    }
    const answer = await rl.question(`${req.title} ${req.target} on ${req.env}? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
