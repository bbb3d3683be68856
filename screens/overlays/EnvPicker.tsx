import { Box, Text } from 'ink';
import { theme } from '../theme.ts';

export function EnvPicker({ envs, cursor, current, height }: { envs: readonly { name: string; protect: boolean }[]; cursor: number; current: string; height: number }) {
  return (
    <Box flexDirection="column" height={height} paddingX={1}>
      <Text bold>Environment · j/k choose · Enter switches · Esc closes</Text>
      {envs.map((e, i) => (
        <Text key={e.name} inverse={i === cursor}>
          {e.name === current ? '● ' : '  '}
          {e.name}
          {e.protect ? <Text color={theme.tone('error')}> protected</Text> : null}
        </Text>
      ))}
    </Box>
  );
}
