import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundle, tmuxApp, type TmuxApp } from '../helpers/tmux.ts';

// The bundled console, as users run it, driven through tmux with --demo.
let app: TmuxApp | undefined;

beforeAll(() => {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` (npm install does it)`);
});

afterEach(() => {
  app?.kill();
  app = undefined;
});

function auditLines(a: TmuxApp): { phase: string; action: string; target: string; env: string; result?: string }[] {
  const file = join(a.home, 'state', 'opsconsole', 'demo-audit.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
}

/** A terminal left in raw mode shows `-icanon -echo`; a restored one `icanon echo`. */
function expectCookedTerminal(a: TmuxApp) {
  const stty = a.stty();
  expect(stty).toMatch(/(^|\s)icanon(\s|$)/);
  expect(stty).toMatch(/(^|\s)echo(\s|$)/);
}

describe('the console in a terminal (--demo)', () => {
  it('presses through every panel, filters, helps, completes in the palette, confirms a typed cutover and audits it', async () => {
    app = tmuxApp(['--demo']);
    const first = await app.waitFor('PROTECTED');
    expect(first).toContain('DEMO');
    expect(first).toContain('production');

    const panels: [string, string][] = [
      ['1', 'ims-staging'],
      ['2', 'nmpi'],
      ['3', 'postgres-backups.timer'],
      ['4', 'ims-postgres'],
      ['5', 'ims.ebisc.org'],
      ['6', 'REFERENCED BY'],
      ['7', 'ACTION'],
    ];
    for (const [key, text] of panels) {
      app.press(key);
      await app.waitFor(text);
    }
    app.press('Tab');
    await app.waitFor('ims-staging'); // Tab from Audit wraps to Nodes

    // Live filter on Timers: only tracker's rows stay.
    app.press('3');
    await app.waitFor('postgres-backups.timer');
    app.press('/');
    app.type('tracker.t');
    const filtered = await app.waitForGone('postgres-backups.timer');
    expect(filtered).toContain('tracker.timer');
    app.press('Escape');
    await app.waitFor('postgres-backups.timer');

    // Help lists the panel's action keys, generated from its Actions.
    app.press('?');
    const help = await app.waitFor('Keys of Timers');
    expect(help).toMatch(/\bt\s+Run/);
    app.press('Escape');
    await app.waitForGone('Keys of Timers');

    // The palette completes a panel name with Tab and goes there with Enter.
    app.press(':');
    app.type('aud');
    app.press('Tab');
    await app.waitFor(':audit');
    app.press('Enter');
    await app.waitFor('TARGET');
    app.press('2');
    await app.waitFor('SERVICE');

    // A destructive action on the protected environment wants the name typed.
    app.press('/');
    app.type('green');
    app.press('Enter');
    await app.waitForGone('live ginormica');
    app.press('g');
    app.press('X');
    await app.waitFor(/type nmpi-green to confirm/);
    app.type('nmpi');
    app.press('Enter'); // not yet the name: nothing happens
    await new Promise((r) => setTimeout(r, 300));
    expect(app.screen()).toContain('type nmpi-green to confirm');
    app.type('-green');
    app.press('Enter');
    await app.waitFor(/\d+%/); // the progress bar
    await app.waitFor('traffic now goes to green', 15_000);
    const audit = auditLines(app);
    expect(audit.map((l) => [l.phase, l.action, l.env, l.target])).toEqual([
      ['start', 'service.cutover', 'production', 'nmpi-green'],
      ['end', 'service.cutover', 'production', 'nmpi-green'],
    ]);
    expect(audit[1]!.result).toBe('ok');

    app.press('Escape');
    app.press('q');
    const after = await app.waitFor('EXIT=0');
    expect(after).not.toContain('PROTECTED'); // the alternate screen is gone
    expectCookedTerminal(app);
  });

  it('shows an enlarge screen below 80x24 and the console again when the terminal grows', async () => {
    app = tmuxApp(['--demo']);
    await app.waitFor('PROTECTED');
    app.resize(70, 20);
    const small = await app.waitFor(/Enlarge the terminal/i);
    expect(small).toContain('70x20');
    app.resize(120, 36);
    await app.waitFor('PROTECTED');
    app.press('q');
    await app.waitFor('EXIT=0');
  });

  it('restores the terminal after SIGTERM', async () => {
    app = tmuxApp(['--demo']);
    await app.waitFor('PROTECTED');
    process.kill(app.pid(), 'SIGTERM');
    const after = await app.waitFor(/EXIT=143/);
    expect(after).not.toContain('PROTECTED');
    expectCookedTerminal(app);
  });

  it('refuses a destructive key in --readonly and says why', async () => {
    app = tmuxApp(['--demo', '--readonly']);
    await app.waitFor('READONLY');
    app.press('2');
    await app.waitFor('nmpi');
    app.press('X');
    await app.waitFor('read-only mode');
    expect(auditLines(app)).toEqual([]);
    app.press('q');
    await app.waitFor('EXIT=0');
  });
});

describe('the bundle on the command line', () => {
  it('answers --help, and a bad flag with a one-line error and exit 2', async () => {
    app = tmuxApp(['--help'], { rows: 80 });
    await app.waitFor('EXIT=0');
    expect(app.screen()).toContain('opsconsole --demo');
    app.kill();
    app = tmuxApp(['nodes', '--frobnicate']);
    const bad = await app.waitFor('EXIT=2');
    expect(bad).toContain("opsconsole: unknown option '--frobnicate'");
  });
});
