import { Box, Text } from 'ink';
import { fit } from '../table/window.ts';

export interface LogPaneProps {
  lines: readonly string[];
  height: number;
  width: number;
  /** Lines scrolled up from the newest (0 follows the tail). */
  scroll?: number;
}

/** The last lines of a log, newest at the bottom; `scroll` looks further back. */
export function LogPane({ lines, height, width, scroll = 0 }: LogPaneProps) {
  if (height <= 0) return null;
  const back = Math.min(Math.max(scroll, 0), Math.max(0, lines.length - height));
  const end = lines.length - back;
  const shown = lines.slice(Math.max(0, end - height), end);
  return (
    <Box flexDirection="column" height={height}>
      {shown.map((line, i) => (
        <Text key={end - shown.length + i} dimColor wrap="truncate">
          {fit(line, width)}
        </Text>
      ))}
    </Box>
  );
}
