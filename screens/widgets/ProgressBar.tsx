import { Box, Text } from 'ink';
import { theme } from '../theme.ts';
import { bytes as formatBytesOf } from '../../source/app/format.ts';

export interface ProgressBarProps {
  width: number;
  /** 0-100. */
  percent?: number | undefined;
  bytes?: { done: number; total?: number } | undefined;
}

/** A bar for a percent or for bytes done of a known total; bytes alone print as a count. */
export function ProgressBar({ width, percent, bytes }: ProgressBarProps) {
  const fraction =
    percent !== undefined ? percent / 100 : bytes?.total ? bytes.done / bytes.total : undefined;
  const label =
    bytes !== undefined
      ? `${formatBytesOf(bytes.done)}${bytes.total !== undefined ? ` / ${formatBytesOf(bytes.total)}` : ''}`
      : percent !== undefined
        ? `${Math.round(percent)}%`
        : '';
  if (fraction === undefined) return <Text>{label || 'working…'}</Text>;
  const f = Math.min(Math.max(fraction, 0), 1);
  const barWidth = Math.max(10, width - label.length - 8);
  const filled = Math.round(f * barWidth);
  return (
    <Box>
      <Text color={theme.tone('accent')}>{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(barWidth - filled)}</Text>
      <Text>{` ${Math.round(f * 100)}%${bytes ? `  ${label}` : ''}`}</Text>
    </Box>
  );
}
