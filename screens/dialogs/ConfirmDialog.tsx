import { useEffect, useReducer } from 'react';
import { Box, Text, useInput } from 'ink';
import type { ConfirmRequest } from '../../source/app/runner.ts';
import { isText, keyTokens } from '../../hooks/keys.ts';
import { theme } from '../theme.ts';

export interface ConfirmDialogProps {
  request: ConfirmRequest;
  onAnswer(yes: boolean): void;
  width: number;
  isActive?: boolean;
}

type Typed = { text: string; answer?: boolean };

/** Keys of the dialog, as a reducer so a typed burst ("ims" in one chunk) is not lost. */
export function confirmReducer(mode: ConfirmRequest['mode'], target: string, state: Typed, tokens: string[]): Typed {
  let s = state;
  for (const t of tokens) {
    if (s.answer !== undefined) break;
    if (t === 'esc') s = { ...s, answer: false };
    else if (mode === 'yes') {
      if (t === 'y' || t === 'Y') s = { ...s, answer: true };
      else if (t === 'n' || t === 'N' || t === 'enter') s = { ...s, answer: false };
    } else if (t === 'enter') {
      // Enter does nothing until the name is typed exactly.
      if (s.text === target) s = { ...s, answer: true };
    } else if (t === 'backspace') s = { ...s, text: [...s.text].slice(0, -1).join('') };
    else if (isText(t)) s = { ...s, text: s.text + t };
  }
  return s;
}

/** y/N, or the target's name typed on destructive actions and protected environments. */
export function ConfirmDialog({ request, onAnswer, width, isActive = true }: ConfirmDialogProps) {
  const [state, dispatch] = useReducer(
    (s: Typed, tokens: string[]) => confirmReducer(request.mode, request.target, s, tokens),
    { text: '' },
  );
  useInput((input, key) => dispatch(keyTokens(input, key)), { isActive: isActive && state.answer === undefined });
  useEffect(() => {
    if (state.answer !== undefined) onAnswer(state.answer);
    // onAnswer is called once per answer; a new closure of it must not answer again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.answer]);
  const ready = state.text === request.target;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={request.protect ? theme.border(true) : theme.tone('warn')} paddingX={1} width={Math.min(width, 72)}>
      <Text bold>
        {request.title} <Text color={theme.tone('accent')}>{request.target}</Text>
      </Text>
      <Text>
        environment <Text bold color={request.protect ? theme.tone('error') : undefined}>{request.env}</Text>
        {request.protect ? <Text color={theme.tone('error')}> PROTECTED</Text> : null}
      </Text>
      {request.detail ? <Text>{request.detail}</Text> : null}
      {request.mode === 'yes' ? (
        <Text>
          Proceed? <Text bold>y</Text>/<Text bold>N</Text>
        </Text>
      ) : (
        <>
          <Text>
            type <Text bold>{request.target}</Text> to confirm
          </Text>
          <Text>
            {'> '}
            {state.text}
            <Text inverse> </Text>
          </Text>
          <Text dimColor>{ready ? 'Enter confirms · Esc cancels' : 'Enter is disabled until the name matches · Esc cancels'}</Text>
        </>
      )}
    </Box>
  );
}
