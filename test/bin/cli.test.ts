import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../source/cli/args.ts';
import { runCommand } from '../../source/cli/commands.ts';
import { extensions } from '../../source/cli/extensions.ts';
import { reportError } from '../../source/cli/main.ts';
import { captureIo } from '../helpers/io.ts';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}, stdin = '') {
  const home = mkdtempSync(join(tmpdir(), 'cli-'));
  const io = captureIo({ HOME: home, XDG_STATE_HOME: join(home, 'state'), XDG_CONFIG_HOME: join(home, 'config'), ...env }, stdin);
  let code: number;
  try {
    code = await runCommand(parseCommandLine(argv), io, extensions);
  } catch (err) {
    code = reportError(err, io);
  }
  return { code, out: io.out(), err: io.err(), home };
}

describe('opsconsole one-shot commands', () => {
  it('rejects an unknown flag with a one-line usage error and exit 2', async () => {
    const r = await run(['nodes', '--colour']);
    expect(r.code).toBe(2);
    expect(r.err).toBe("opsconsole: unknown option '--colour'\n  hint: see `opsconsole --help`\n");
  });

  it('rejects an unknown command with exit 2', async () => {
    const r = await run(['frobnicate']);
    expect(r).toMatchObject({ code: 2, err: 'opsconsole: unknown command "frobnicate"\n  hint: see `opsconsole --help`\n' });
  });

  it('prints the timers of the demo fleet as aligned columns without colour when not a terminal', async () => {
    const r = await run(['--demo', 'timers']);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^NODE\s+TIMER\s+SCHEDULE\s+NEXT\s+LAST\s+RESULT\s+ENABLED$/);
    expect(lines[1]).toMatch(/^-+ +-+/);
    expect(r.out).toContain('postgres-backups.timer');
    expect(r.out).not.toContain('\x1b[');
  });

  it('prints JSON with --json', async () => {
    const r = await run(['--demo', 'certs', '--json']);
    const doc = JSON.parse(r.out) as { kind: string; rows: { domain: string }[] };
    expect(doc.kind).toBe('certs');
    expect(doc.rows.map((c) => c.domain)).toContain('ims.ebisc.org');
  });

  it('check exits 2 on the demo fleet, whose nmpi certificate expires in 5 days', async () => {
    const r = await run(['--demo', 'check']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^production: CRITICAL/);
    expect(r.out).toMatch(/CRIT\s+Certificates nmpi\.hbpneuromorphic\.eu: expires in 5 days/);
  });

  it('runs an action from the command line and writes its audit lines', async () => {
    const r = await run(['--demo', '-e', 'test', 'run', 'ims', 'postgres-backups.timer']);
    expect(r.code).toBe(0);
    const audit = readFileSync(join(r.home, 'state', 'opsconsole', 'demo-audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.map((a) => [a.phase, a.action, a.env, a.target])).toEqual([
      ['start', 'timer.run', 'test', 'ims/postgres-backups.timer'],
      ['end', 'timer.run', 'test', 'ims/postgres-backups.timer'],
    ]);
    expect(audit[1].result).toBe('ok');
  });

  it('refuses a typed confirmation without a terminal, and does nothing', async () => {
    const r = await run(['--demo', 'restore', 'ims-postgres', 'ims', '--yes']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('needs the name typed: run it in a terminal');
    expect(r.err).toContain('not confirmed, nothing done');
  });

  it('refuses actions in --readonly', async () => {
    const r = await run(['--demo', '--readonly', 'renew', 'ims.ebisc.org']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('refused (read-only mode)');
  });

  it('names the missing argument of an action', async () => {
    const r = await run(['--demo', 'run', 'ims']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('run: missing UNIT');
  });

  it('reports a malformed config as file:line:col with exit 2 and no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'environments:\n  production:\n    protcet: true\n');
    const r = await run(['-c', file, 'nodes']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${file}:3:5: unknown key "protcet" (hint: did you mean "protect"?)\n`);
  });

  it('says how to start when there is no config at all', async () => {
    const r = await run(['nodes']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no such file|no config/);
    expect(r.err).toContain('opsconsole config init');
  });

  it('config init writes a starter file that config check accepts, and never overwrites it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'c.yaml');
    expect((await run(['-c', file, 'config', 'init'])).code).toBe(0);
    const check = await run(['-c', file, 'config', 'check']);
    expect(check.code).toBe(0);
    expect(check.out).toContain(`${file}: ok`);
    const again = await run(['-c', file, 'config', 'init']);
    expect(again.code).toBe(2);
    expect(again.err).toContain('already exists; not overwriting it');
  });

  it('help lists every action subcommand', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['node reboot NODE', 'run NODE UNIT', 'cutover SERVICE', 'restore SET', 'renew DOMAIN', 'ssh NODE', 'secrets set NAME']) {
      expect(r.out).toContain(cmd);
    }
  });
});
