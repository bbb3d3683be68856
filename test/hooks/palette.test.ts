import { describe, expect, it } from 'vitest';
import { paletteCommands, paletteMatches, parsePalette } from '../../hooks/palette.ts';
import { testKinds } from '../screens/fakes.ts';

const kinds = testKinds();
const envs = ['production', 'test'];

describe('palette', () => {
  it('offers panels, action ids and environments', () => {
    const texts = paletteCommands(kinds, envs).map((c) => c.text);
    expect(texts).toEqual(expect.arrayContaining(['timers', 'timer.trigger', 'node.reboot', 'env test', 'quit']));
  });

  it('lists prefix matches before substring matches', () => {
    expect(paletteMatches('ti', ['env production', 'timers', 'timer.trigger'])).toEqual(['timers', 'timer.trigger', 'env production']);
  });

  it('reads panels by id or title, actions by id or title, and env NAME', () => {
    expect(parsePalette('timers', kinds, envs)).toEqual({ type: 'panel', kind: 'timers' });
    expect(parsePalette('Certificates', kinds, envs)).toEqual({ type: 'panel', kind: 'certs' });
    expect(parsePalette('timer.trigger', kinds, envs)).toMatchObject({ type: 'action', action: { id: 'timer.trigger' } });
    expect(parsePalette('run the job now', kinds, envs)).toMatchObject({ type: 'action', action: { id: 'timer.trigger' } });
    expect(parsePalette('env TEST', kinds, envs)).toEqual({ type: 'env', env: 'test' });
    expect(parsePalette('env staging', kinds, envs)).toEqual({ type: 'unknown', text: 'env staging' });
  });
});
