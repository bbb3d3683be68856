import { describe, expect, it } from 'vitest';
import { makeTheme } from '../../screens/theme.ts';

describe('theme', () => {
  it('maps tones to colours', () => {
    const t = makeTheme({});
    expect(t.tone('error')).toBe('red');
    expect(t.tone('ok')).toBe('green');
    expect(t.tone('normal')).toBeUndefined();
    expect(t.border(true)).toBe('red');
  });

  it('drops every colour under NO_COLOR (chalk 5 does not read it)', () => {
    const t = makeTheme({ NO_COLOR: '1' });
    expect(t.colour).toBe(false);
    expect(t.tone('error')).toBeUndefined();
    expect(t.border(true)).toBeUndefined();
  });
});
