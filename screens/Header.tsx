import { Box, Text } from 'ink';
import type { SourceStatus } from '../source/app/status.ts';
import { theme } from './theme.ts';
import { clock, failingText, summarise, summaryText } from './format.ts';

export interface HeaderProps {
  env: string;
  protect: boolean;
  demo: boolean;
  readonly: boolean;
  now: Date;
  sources: readonly { id: string; status: SourceStatus }[];
  width: number;
}

/** `opsconsole · production PROTECTED · DEMO · READONLY   3 ok · 1 error (…)   07:21:05`. */
export function Header({ env, protect, demo, readonly, now, sources, width }: HeaderProps) {
  const sum = summarise(sources);
  const first = sum.failing[0];
  const status = summaryText(sum) + (first ? ` — ${failingText(first, now)}` : '');
  return (
    <Box width={width} justifyContent="space-between">
      <Box flexShrink={0}>
        <Text bold color={theme.tone('accent')}>
          opsconsole
        </Text>
        <Text> </Text>
        {protect ? (
          <Text backgroundColor={theme.colour ? 'red' : undefined} color={theme.colour ? 'white' : undefined} inverse={!theme.colour} bold>
            {` ${env} PROTECTED `}
          </Text>
        ) : (
          <Text bold>{env}</Text>
        )}
        {demo ? (
          <Text backgroundColor={theme.colour ? 'yellow' : undefined} color={theme.colour ? 'black' : undefined} inverse={!theme.colour}>
            {' DEMO '}
          </Text>
        ) : null}
        {readonly ? <Text inverse>{' READONLY '}</Text> : null}
        {demo || readonly ? null : <Text> </Text>}
      </Box>
      <Box flexShrink={1} paddingX={1}>
        <Text wrap="truncate" color={theme.tone(sum.error ? 'error' : sum.stale ? 'warn' : 'muted')}>
          {status}
        </Text>
      </Box>
      <Box flexShrink={0}>
        <Text dimColor>{clock(now)}</Text>
      </Box>
    </Box>
  );
}
