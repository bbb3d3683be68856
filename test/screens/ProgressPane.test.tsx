import { describe, expect, it } from 'vitest';
import { logSearchReducer, matchingLines, type LogSearch } from '../../screens/dialogs/ProgressPane.tsx';

const type = (s: LogSearch, ...tokens: string[]) => tokens.reduce(logSearchReducer, s);
const idle: LogSearch = { editing: false, query: '' };

describe('searching the log pane', () => {
  it('/ starts a search, typed text narrows the lines, Enter keeps it, Esc clears it', () => {
    const lines = ['02:00:01 wal-e backup-push starting', '02:00:03 uploading', '02:00:09 S3 access denied', '02:00:09 Failed with result exit-code'];
    let s = type(idle, '/', 'd', 'e', 'n');
    expect(s).toEqual({ editing: true, query: 'den' });
    expect(matchingLines(lines, s.query)).toEqual(['02:00:09 S3 access denied']);
    s = type(s, 'backspace', 'backspace', 'backspace', 'E', 'X', 'I', 'T', 'enter');
    expect(s).toEqual({ editing: false, query: 'EXIT' });
    expect(matchingLines(lines, s.query)).toEqual(['02:00:09 Failed with result exit-code']); // case-insensitive
    expect(type(s, 'j')).toBe(s); // keys outside the search are the pane's
    expect(type(s, 'esc')).toEqual(idle);
    expect(matchingLines(lines, '')).toBe(lines);
  });
});
