import { Box, Text } from 'ink';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export function isTooSmall(size: { columns: number; rows: number }): boolean {
  return size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;
}

/** Shown instead of the frame (state kept) until the terminal is big enough again. */
export function SmallTerminal({ columns, rows }: { columns: number; rows: number }) {
  return (
    <Box width={columns} height={Math.max(1, rows - 1)} alignItems="center" justifyContent="center">
      <Text wrap="wrap">
        Enlarge the terminal to at least {MIN_COLUMNS}x{MIN_ROWS} (now {columns}x{rows})
      </Text>
    </Box>
  );
}
