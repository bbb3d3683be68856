import { useEffect, useReducer } from 'react';
import { Box, Text, useInput } from 'ink';
import type { AskRequest } from '../../hooks/useActionRun.ts';
import { isText, keyTokens } from '../../hooks/keys.ts';
import { theme } from '../theme.ts';

export interface AskDialogProps {
  request: AskRequest;
  /** The answers in field order. */
  onSubmit(values: string[]): void;
  onCancel(): void;
  width: number;
  isActive?: boolean;
}

export interface AskState {
  values: string[];
  focus: number;
  /** Set when Enter was refused: which field still needs a value. */
  missing?: number;
  answer?: 'submit' | 'cancel';
}

export function initialAsk(request: AskRequest): AskState {
  return { values: request.fields.map((f) => f.value), focus: 0 };
}

function dropLast(text: string): string {
  const chars = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)];
  return chars
    .slice(0, -1)
    .map((c) => c.segment)
    .join('');
}

/**
 * Keys of the form, as a reducer so a typed burst ("8080" in one chunk, or "8080\r") is not
 * lost: Tab/Shift-Tab (and ↓/↑) move between fields, Enter runs, Esc cancels.
 */
export function askReducer(request: AskRequest, state: AskState, tokens: string[]): AskState {
  let s = state;
  const n = request.fields.length;
  for (const t of tokens) {
    if (s.answer !== undefined) break;
    if (t === 'esc') s = { ...s, answer: 'cancel' };
    else if (t === 'tab' || t === 'down') s = { ...s, focus: (s.focus + 1) % n };
    else if (t === 'shift+tab' || t === 'up') s = { ...s, focus: (s.focus - 1 + n) % n };
    else if (t === 'enter') {
      const missing = request.fields.findIndex((f, i) => !f.optional && (s.values[i] ?? '').trim() === '');
      if (missing >= 0) s = { ...s, focus: missing, missing };
      else s = { ...s, answer: 'submit' };
    } else if (t === 'backspace') s = edit(s, dropLast(s.values[s.focus] ?? ''));
    else if (t === 'ctrl+u') s = edit(s, '');
    else if (isText(t)) s = edit(s, (s.values[s.focus] ?? '') + t);
  }
  return s;
}

function edit(s: AskState, value: string): AskState {
  const values = [...s.values];
  values[s.focus] = value;
  const { missing: _cleared, ...rest } = s;
  return { ...rest, values };
}

/** One text field per asked param, prefilled and editable; the action runs on Enter. */
export function AskDialog({ request, onSubmit, onCancel, width, isActive = true }: AskDialogProps) {
  const [state, dispatch] = useReducer((s: AskState, tokens: string[]) => askReducer(request, s, tokens), request, initialAsk);
  useInput((input, key) => dispatch(keyTokens(input, key)), { isActive: isActive && state.answer === undefined });
  useEffect(() => {
    if (state.answer === 'submit') onSubmit(state.values);
    else if (state.answer === 'cancel') onCancel();
    // Answered once; a new closure of the callbacks must not answer again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.answer]);
  const w = Math.min(width, 72);
  const missing = state.missing !== undefined ? request.fields[state.missing] : undefined;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.tone('accent')} paddingX={1} width={w}>
      <Text bold wrap="truncate">
        {request.title}
        {request.about ? <Text color={theme.tone('accent')}> {request.about}</Text> : null}
      </Text>
      {request.fields.map((f, i) => {
        const focused = i === state.focus;
        return (
          <Box key={f.name} flexDirection="column">
            <Text wrap="truncate" dimColor={!focused}>
              {f.label}
              {f.optional ? '' : ' *'}
            </Text>
            <Text wrap="truncate">
              <Text color={focused ? theme.tone('accent') : undefined} bold={focused}>
                {focused ? '> ' : '  '}
              </Text>
              {state.values[i]}
              {focused ? <Text inverse> </Text> : null}
            </Text>
          </Box>
        );
      })}
      {missing ? (
        <Text color={theme.tone('warn')} wrap="truncate">
          {missing.name} is needed
        </Text>
      ) : null}
      <Text dimColor wrap="truncate">
        {request.fields.length > 1 ? 'Tab next field · ' : ''}Enter runs · Esc cancels
      </Text>
    </Box>
  );
}
