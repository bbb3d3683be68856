import { Box, Text } from 'ink';
import { kindOrder } from '../source/app/kind.ts';
import type { KindId, ResourceKind } from '../source/app/kind.ts';
import { theme } from './theme.ts';

/** `1 Nodes  2 Services …`, the current panel highlighted. */
export function Tabs({ kinds, current, width }: { kinds: Record<KindId, ResourceKind<any>>; current: KindId; width: number }) {
  return (
    <Box width={width}>
      <Text wrap="truncate">
        {kindOrder.map((id, i) => {
          const label = ` ${i + 1} ${kinds[id].title} `;
          return id === current ? (
            <Text key={id} inverse bold color={theme.tone('accent')}>
              {label}
            </Text>
          ) : (
            <Text key={id}>{label}</Text>
          );
        })}
      </Text>
    </Box>
  );
}
