import { createContext, createElement, useContext, useEffect, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import type { AppServices } from '../source/app/services.ts';
import type { KindId } from '../source/app/kind.ts';
import type { KindSnapshot } from '../source/app/store.ts';

const ServicesContext = createContext<AppServices | undefined>(undefined);

/** Hands the drivers to the screens: tests pass fakes here, nothing is a module singleton. */
export function StoreProvider({ services, children }: { services: AppServices; children?: ReactNode }) {
  return createElement(ServicesContext.Provider, { value: services }, children);
}

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() outside <StoreProvider>');
  return services;
}

/** The live rows and source statuses of one kind in one environment; re-renders on change only. */
export function useResource(kind: KindId, env: string): KindSnapshot {
  const store = useServices().storeFor(env);
  // start() is idempotent: a store handed over unstarted starts polling when first shown.
  useEffect(() => store.start(), [store]);
  return useSyncExternalStore(
    store.subscribe,
    () => store.snapshot(kind),
    () => store.snapshot(kind),
  );
}
