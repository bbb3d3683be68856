import { Box, Text } from 'ink';
import { theme } from '../theme.ts';

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

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
      ? `${formatBytes(bytes.done)}${bytes.total !== undefined ? ` / ${formatBytes(bytes.total)}` : ''}`
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
