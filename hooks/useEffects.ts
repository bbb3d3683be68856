import { useEffect, useRef } from 'react';
import type { Dispatch } from 'react';
import type { Effect, UiEvent, UiState } from './useKeys.ts';

export type EffectHandlers = { [T in Effect['type']]: (effect: Extract<Effect, { type: T }>) => void };

/**
 * Runs the effects the keys reducer queued (each once, in order) and drains them. Handlers are
 * read from a ref, so they see this render's rows and runner.
 */
export function useEffectQueue(ui: UiState, dispatch: Dispatch<UiEvent>, handlers: EffectHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  const done = useRef(0);
  useEffect(() => {
    const pending = ui.effects.filter((e) => e.id > done.current);
    if (pending.length === 0) return;
    done.current = pending.at(-1)!.id;
    for (const effect of pending) {
      (ref.current[effect.type] as (e: Effect) => void)(effect);
    }
    dispatch({ type: 'drain', upTo: done.current });
  }, [ui.effects, dispatch]);
}
