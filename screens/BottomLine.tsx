import { Text } from 'ink';
import type { Mode } from '../hooks/useKeys.ts';
import type { PaletteCommand } from '../hooks/palette.ts';
import { paletteMatches } from '../hooks/palette.ts';
import type { Tone } from '../source/app/status.ts';
import { theme } from './theme.ts';

export interface Flash {
  text: string;
  tone: Tone;
  at: number;
}

/** How long a flash stays (k9s clears its flash the same way). */
export const FLASH_MS = 6000;

export interface BottomLineProps {
  mode: Mode;
  filter: string;
  palette: string;
  commands: readonly PaletteCommand[];
  flash?: Flash | undefined;
  now: Date;
}

/** The line above the footer: the `/` filter or `:` palette being typed, else the flash. */
export function BottomLine({ mode, filter, palette, commands, flash, now }: BottomLineProps) {
  if (mode === 'filter') {
    return (
      <Text wrap="truncate">
        <Text color={theme.tone('accent')}>/</Text>
        {filter}
        <Text inverse> </Text>
        <Text dimColor> Enter keeps · Esc clears</Text>
      </Text>
    );
  }
  if (mode === 'palette') {
    const texts = commands.map((c) => c.text);
    const matches = paletteMatches(palette, texts, 6);
    const described = matches.map((m) => {
      const c = commands.find((x) => x.text === m)!;
      return c.description && c.text.includes('.') ? `${m} (${c.description})` : m;
    });
    return (
      <Text wrap="truncate">
        <Text color={theme.tone('accent')}>:</Text>
        {palette}
        <Text inverse> </Text>
        <Text dimColor>{matches.length ? `  Tab ${described.join(' · ')}` : '  no match'}</Text>
      </Text>
    );
  }
  if (flash && now.getTime() - flash.at < FLASH_MS) {
    return (
      <Text wrap="truncate" color={theme.tone(flash.tone)}>
        {flash.text}
      </Text>
    );
  }
  return <Text> </Text>;
}
