export { VITALS_SCRIPT, vitalsCommand } from './commands.ts';
export { parseVitals, parseDf, parseMeminfo, parseMounts, splitSections, isPseudoFs, fullestMount, PSEUDO_FS, VitalsParseError } from './parse.ts';
export type { DfRow } from './parse.ts';
export { DEFAULT_THRESHOLDS, mergeThresholds, evaluateVitals, describeFinding } from './thresholds.ts';
export type { Severity, VitalsFinding, VitalsEvaluation } from './thresholds.ts';
export { fetchVitals, fetchVitalsAll } from './fetch.ts';
export type { FetchVitalsOptions, VitalsResult } from './fetch.ts';
export { LoadHistory, RingBuffer, sparkline } from './history.ts';
export { formatUptime, formatKb, describeMount, describeLoad } from './format.ts';
