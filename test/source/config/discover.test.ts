import { describe, expect, it } from 'vitest';
import { defaultConfigPath, expandHome, findConfigPath } from '../../../source/config/discover.ts';

describe('findConfigPath', () => {
  const env = { HOME: '/home/ops', XDG_CONFIG_HOME: '/xdg', OPSCONSOLE_CONFIG: '/etc/ops.yaml' };

  it('prefers -c FILE over everything', () => {
    expect(findConfigPath({ flag: 'my.yaml', env })).toBe('my.yaml');
  });

  it('then OPSCONSOLE_CONFIG', () => {
    expect(findConfigPath({ env })).toBe('/etc/ops.yaml');
  });

  it('then $XDG_CONFIG_HOME/opsconsole/config.yaml', () => {
    expect(findConfigPath({ env: { HOME: '/home/ops', XDG_CONFIG_HOME: '/xdg' } })).toBe('/xdg/opsconsole/config.yaml');
  });

  it('with XDG_CONFIG_HOME defaulting to ~/.config (and ignored when relative)', () => {
    expect(findConfigPath({ env: { HOME: '/home/ops' } })).toBe('/home/ops/.config/opsconsole/config.yaml');
    expect(defaultConfigPath({ HOME: '/home/ops', XDG_CONFIG_HOME: 'rel' })).toBe('/home/ops/.config/opsconsole/config.yaml');
  });

  it('returns the path whether or not the file exists, so loadConfig can explain a missing one', () => {
    expect(findConfigPath({ flag: '/missing.yaml', env })).toBe('/missing.yaml');
    expect(findConfigPath({ env: { HOME: '/nonexistent-home' } })).toBe('/nonexistent-home/.config/opsconsole/config.yaml');
  });

  it('treats an empty OPSCONSOLE_CONFIG as unset', () => {
    expect(findConfigPath({ env: { ...env, OPSCONSOLE_CONFIG: '' } })).toBe('/xdg/opsconsole/config.yaml');
  });

  it('expands ~ in the flag and the variable', () => {
    expect(findConfigPath({ flag: '~/ops.yaml', env })).toBe('/home/ops/ops.yaml');
    expect(findConfigPath({ env: { HOME: '/h', OPSCONSOLE_CONFIG: '~/x.yaml' } })).toBe('/h/x.yaml');
  });
});

describe('expandHome', () => {
  it('expands ~ and ~/ only', () => {
    expect(expandHome('~', { HOME: '/h' })).toBe('/h');
    expect(expandHome('~/.ssh/id_ed25519', { HOME: '/h' })).toBe('/h/.ssh/id_ed25519');
    expect(expandHome('~bob/x', { HOME: '/h' })).toBe('~bob/x');
    expect(expandHome('/abs/~/x', { HOME: '/h' })).toBe('/abs/~/x');
  });
});
