import type { Extension } from './commands.ts';

/** Commands with drivers of their own, loaded only when used. */
export const extensions: Record<string, Extension> = {};
