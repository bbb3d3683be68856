import { useReducer } from 'react';
import { Box, Text, useInput } from 'ink';
import type { RunState } from '../../hooks/useActionRun.ts';
import { isText, keyTokens } from '../../hooks/keys.ts';
import { ProgressBar } from '../widgets/ProgressBar.tsx';
import { LogPane } from '../widgets/LogPane.tsx';
import { theme } from '../theme.ts';

export interface ProgressPaneProps {
  run: RunState;
  width: number;
  height: number;
  onCancel(): void;
  onDismiss(): void;
  isActive?: boolean;
}

export interface LogSearch {
  editing: boolean;
  query: string;
}

/** `/` searches the log (a journal being followed, say): typed text narrows the lines shown. */
export function logSearchReducer(s: LogSearch, t: string): LogSearch {
  if (s.editing) {
    if (t === 'enter') return { ...s, editing: false };
    if (t === 'esc') return { editing: false, query: '' };
    if (t === 'backspace' || t === 'delete') return { ...s, query: s.query.slice(0, -1) };
    return isText(t) ? { ...s, query: s.query + t } : s;
  }
  if (t === '/') return { editing: true, query: s.query };
  if (t === 'esc') return { editing: false, query: '' }; // Esc clears a search before it closes the pane
  return s;
}

export function matchingLines(lines: readonly string[], query: string): readonly string[] {
  if (!query) return lines;
  const q = query.toLowerCase();
  return lines.filter((l) => l.toLowerCase().includes(q));
}

/** A running action: step, bar, log tail; `c` cancels; then its result until Esc/Enter. */
export function ProgressPane({ run, width, height, onCancel, onDismiss, isActive = true }: ProgressPaneProps) {
  const [scroll, scrollBy] = useReducer((s: number, d: number) => (d === 0 ? 0 : Math.max(0, s + d)), 0);
  const [search, searchKey] = useReducer(logSearchReducer, { editing: false, query: '' });
  const done = run.phase === 'done';
  useInput(
    (input, key) => {
      for (const t of keyTokens(input, key)) {
        if (search.editing || t === '/' || (t === 'esc' && search.query)) searchKey(t);
        else if (t === 'c' && !done) onCancel();
        else if ((t === 'esc' || t === 'enter' || t === 'q') && done) onDismiss();
        else if (t === 'k' || t === 'up') scrollBy(1);
        else if (t === 'j' || t === 'down') scrollBy(-1);
        else if (t === 'G' || t === 'end') scrollBy(0);
      }
    },
    { isActive },
  );
  const step = run.step
    ? `${run.step.index !== undefined && run.step.total !== undefined ? `[${run.step.index}/${run.step.total}] ` : ''}${run.step.title}`
    : undefined;
  const searching = search.editing || search.query !== '';
  const logHeight = Math.max(0, height - 5 - (searching ? 1 : 0));
  const lines = matchingLines(run.log, search.query);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {run.title ?? 'action'}
        {run.cancelling && !done ? <Text color={theme.tone('warn')}> cancelling…</Text> : null}
      </Text>
      <Text wrap="truncate">{step ?? ' '}</Text>
      <ProgressBar width={width} percent={run.percent} bytes={run.bytes} />
      {searching ? (
        <Text color={theme.tone('accent')} wrap="truncate">
          /{search.query}
          {search.editing ? <Text inverse> </Text> : null} ({lines.length} of {run.log.length} lines)
        </Text>
      ) : null}
      <LogPane lines={lines} height={logHeight} width={width} scroll={scroll} />
      {done && run.result ? (
        <Text color={theme.tone(run.result.ok ? 'ok' : 'error')} wrap="truncate">
          {run.result.ok ? '✓ ' : '✗ '}
          {run.result.message}
          {!run.result.ok && run.result.hint ? ` — ${run.result.hint}` : ''}
        </Text>
      ) : (
        <Text> </Text>
      )}
      <Text dimColor wrap="truncate">
        {done ? 'Esc/Enter close · j/k scroll · / search the log' : 'c cancel · j/k scroll · / search the log'}
      </Text>
    </Box>
  );
}
