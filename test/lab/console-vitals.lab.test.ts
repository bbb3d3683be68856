// Vitals in the bundled console against the lab, in tmux: a nearly full disk is red on the
// first screen and its detail shows a bar per mount.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tmuxApp, type TmuxApp } from '../helpers/tmux.ts';
import { readLab, type LabState } from './state.ts';
import { attachFullDisk } from './vitals-remote.ts';

let L: LabState;
let app: TmuxApp | undefined;
let disk: { cleanup: () => Promise<void> } | undefined;

beforeAll(async () => {
  L = readLab();
  disk = await attachFullDisk('tracker', '/srv/data', 93);
}, 120_000);

afterAll(async () => {
  await disk?.cleanup();
});

afterEach(() => {
  app?.kill();
  app = undefined;
});

const RED = /\x1b\[(?:[0-9;]*;)?31m/;

describe('vitals in tmux against the lab', () => {
  it('shows the nearly full disk in red from the first screen, and per-mount bars in its detail', async () => {
    app = tmuxApp(['-c', L.configPath]);
    await app.waitFor(/tracker\s+active\s+connected.*9\d% \/srv\/data/, 20_000);
    const line = app.coloured().split('\n').find((l) => l.includes('tracker') && l.includes('/srv/data'))!;
    // The DISK cell is drawn in red: the colour code comes right before the percentage.
    const cell = line.slice(0, line.indexOf('/srv/data'));
    expect(cell.slice(cell.lastIndexOf('\x1b['))).toMatch(RED);

    app.press('/');
    app.type('tracker');
    app.press('Enter');
    await app.waitForGone(/ims\s+active/);
    app.press('Enter');
    const detail = await app.waitFor('Disk /srv/data');
    expect(detail).toMatch(/Disk \/srv\/data\s+█+░* 9\d% of \d+(\.\d+)? MB \(ext4/);
    expect(detail).toMatch(/Memory\s+[█░]+ \d+% used/);
    expect(detail).toMatch(/Threshold\s+disk \/srv\/data 9\d past 90/);
    app.press('Escape');
    app.press('q');
    await app.waitFor('EXIT=0');
  });
});
