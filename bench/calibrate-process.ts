// The calibration loop (calibrate.ts) in a process of its own:
//   out/bench/calibrate-process.js [RUNS] [--fresh-pages]
// reports { medianMs, runs } to run.mjs, with freshPageUs when asked (a phase's conditions).
import { calibrate, freshPageUs } from './calibrate';
import { report } from './measure';

const result = calibrate(Number(process.argv[2] ?? 9));
void report(process.argv.includes('--fresh-pages') ? { ...result, freshPageUs: freshPageUs() } : result);
