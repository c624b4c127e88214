// The calibration loop (calibrate.ts) in a process of its own: `out/bench/calibrate-process.js [RUNS]`
// reports { medianMs, runs } to run.mjs.
import { calibrate } from './calibrate';
import { report } from './measure';

void report(calibrate(Number(process.argv[2] ?? 9)));
