// For benchmarks through the lab: TypeScript sources through tsx, and the lab's state, or
// undefined with a "skipped" line when the lab is not up (`npm run lab:up` as root).
import { register } from 'tsx/esm/api';

register();
const { readLab } = await import('../test/lab/state.ts');

export function labOrSkip(bench) {
  try {
    return readLab();
  } catch (e) {
    console.log(`${bench} bench skipped: ${e.message}`);
    return undefined;
  }
}
