// The peer of the start-up benchmark: the smallest Ink app with a list, bundled the same way.
import React, { useState } from 'react';
import { render, Box, Text, useInput } from 'ink';

function List() {
  const [cursor, setCursor] = useState(0);
  useInput((input) => {
    if (input === 'j') setCursor((c) => c + 1);
    if (input === 'k') setCursor((c) => c - 1);
    if (input === 'q') process.exit(0);
  });
  const rows = Array.from({ length: 20 }, (_, i) => i);
  return (
    <Box flexDirection="column">
      <Text>opsconsole-peer</Text>
      {rows.map((r, i) => (
        <Text key={r} inverse={i === ((cursor % 20) + 20) % 20}>row {r}</Text>
      ))}
    </Box>
  );
}
render(<List />, { patchConsole: false, exitOnCtrlC: true });
