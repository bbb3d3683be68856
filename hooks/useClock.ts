import { createContext, createElement, useContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';

const ClockContext = createContext<Date | undefined>(undefined);

/**
 * One 1 s interval for the whole app: the header clock and every relative time ("3m ago")
 * read it, so the screen changes once a second, not once per cell. `now` freezes it (tests).
 */
export function ClockProvider({ now, children }: { now?: Date; children?: ReactNode }) {
  const [tick, setTick] = useState(() => now ?? new Date());
  useEffect(() => {
    if (now) return;
    const timer = setInterval(() => setTick(new Date()), 1000);
    timer.unref?.();
    return () => clearInterval(timer);
  }, [now]);
  return createElement(ClockContext.Provider, { value: now ?? tick }, children);
}

/** The current second (a fresh Date outside a ClockProvider). */
export function useClock(): Date {
  return useContext(ClockContext) ?? new Date();
}
