import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundle, tmuxApp, type TmuxApp } from '../helpers/tmux.ts';

// The ask form of an action and the tunnels overlay, in the bundled console on --demo.
let app: TmuxApp | undefined;

beforeAll(() => {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` (npm install does it)`);
});

afterEach(() => {
  app?.kill();
  app = undefined;
});

describe('tunnels and forms (--demo)', () => {
  it('asks for the port of a tunnel, shows the demo refusal, and lists no open tunnels', async () => {
    app = tmuxApp(['--demo']);
    await app.waitFor('PROTECTED');
    await app.waitFor('ims-staging'); // the Nodes panel has its rows
    app.press('o');
    const form = await app.waitFor('port on the node');
    expect(form).toContain('Open a tunnel');
    expect(form).toContain('Enter runs · Esc cancels');
    app.type('8080');
    await app.waitFor('8080');
    app.press('Enter');
    const refused = await app.waitFor('the demo fleet has no real');
    expect(refused).not.toContain('port on the node');

    app.press('u');
    const overlay = await app.waitFor('Tunnels · j/k choose');
    expect(overlay).toContain('no open tunnels');
    expect(overlay).not.toMatch(/\d+ tunnels? open/);
    app.press('Escape');
    await app.waitForGone('Tunnels · j/k choose');

    // Esc on the form runs nothing.
    app.press('o');
    await app.waitFor('port on the node');
    app.press('Escape');
    await app.waitForGone('port on the node');

    app.press('q');
    await app.waitFor('EXIT=0');
  });
});
