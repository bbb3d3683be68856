// The Timers panel of the bundled console against real systemd nodes, in tmux: the failed
// unit is visible from the first screen, and run-now shows the journal live and the result.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundle, tmuxApp, type TmuxApp } from '../helpers/tmux.ts';
import { nodeExec } from './lab.ts';
import { readLab, type LabState } from './state.ts';
import { installAll } from './units-fixture.ts';

let L: LabState;
let app: TmuxApp | undefined;

beforeAll(async () => {
  L = readLab();
  await installAll();
  // The failing nightly job has run (and failed) once, as it would have at 03:30.
  await nodeExec('ims', ['systemctl', 'start', 'duplicity-backups.service']);
}, 120_000);

afterEach(() => {
  app?.kill();
  app = undefined;
});

afterAll(async () => {
  // Leave the node as we found it for the lab tests that follow.
  await nodeExec('ims', ['systemctl', 'reset-failed']);
});

function cli(args: string[]) {
  const home = mkdtempSync(join(tmpdir(), 'opsc-lab-'));
  const r = spawnSync('node', [bundle, ...args], { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: join(home, 'state') } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('timers from the real nodes', () => {
  it('timers --json carries the real result of every timer and the failed unit', () => {
    const r = cli(['-c', L.configPath, 'timers', '--json']);
    expect(r.err).toBe('');
    const rows = (JSON.parse(r.out) as { rows: { node: string; unit: string; failed: boolean; result: { kind: string; code?: number } }[] }).rows;
    const dup = rows.find((t) => t.node === 'ims' && t.unit === 'duplicity-backups.timer')!;
    expect(dup.failed).toBe(true);
    expect(dup.result).toEqual({ kind: 'exit-code', code: 3 });
    expect(rows.find((t) => t.node === 'tracker' && t.unit === 'tracker.timer')).toBeDefined();
    expect(cli(['-c', L.configPath, 'check']).out).toMatch(/CRIT\s+Timers\s+ims\/duplicity-backups\.service: last run failed \(exit code 3\)/);
  });

  it('journal NODE UNIT prints the unit\'s real journal', () => {
    const r = cli(['-c', L.configPath, 'journal', 'ims', 'duplicity-backups.service', '--tail', '20']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('duplicity: uploading media');
  });
});

describe('the Timers panel in tmux against the lab', () => {
  it('shows the failed unit from the first screen; run-now streams the journal and the result', async () => {
    app = tmuxApp(['-c', L.configPath]);
    // First screen (Nodes): ims is degraded, one failed unit.
    await app.waitFor(/ims\s+active\s+connected.*degraded \(1 failed\)/, 20_000);
    app.press('3');
    const timers = await app.waitFor('duplicity-backups.timer', 20_000);
    // Failed first: the duplicity row is the first row of the table.
    const rows = timers.split('\n').filter((l) => /\.timer|\.service/.test(l));
    expect(rows[0]).toContain('duplicity-backups');
    expect(rows[0]).toMatch(/exit-code 3/);

    app.press('/');
    app.type('postgres-backups');
    app.press('Enter');
    await app.waitForGone('duplicity-backups.timer');
    app.press('t');
    await app.waitFor('wal-e backup-push starting', 20_000);
    await app.waitFor(/✓ postgres-backups\.service on ims finished: success/, 20_000);
    app.press('Escape'); // closes the result
    app.press('Escape'); // clears the filter
    await app.waitFor('duplicity-backups.timer');

    app.press('/');
    app.type('duplicity');
    app.press('Enter');
    await app.waitForGone('postgres-backups.timer');
    app.press('t');
    await app.waitFor('S3 access denied', 20_000);
    await app.waitFor(/✗ .*duplicity-backups\.service.*exit-code 3/, 20_000);
    app.press('Escape');

    // l follows the unit's journal in the log pane; / searches it; c stops following.
    app.press('l');
    await app.waitFor('since (2h');
    app.press('Enter'); // empty: the last 50 lines
    await app.waitFor('duplicity: uploading media', 20_000);
    app.press('/');
    await app.waitFor(/\/\s+\(\d+ of \d+ lines\)/);
    app.type('denied');
    app.press('Enter');
    const found = await app.waitForGone('duplicity: uploading media');
    expect(found).toMatch(/\/denied\s+\(\d+ of \d+ lines\)/);
    expect(found).toContain('S3 access denied');
    app.press('Escape'); // clears the search
    await app.waitFor('duplicity: uploading media');
    app.press('c');
    await app.waitFor(/✓ closed the journal of duplicity-backups\.service on ims/, 20_000);
    app.press('Escape');
    app.press('q');
    await app.waitFor('EXIT=0');
  });
});
