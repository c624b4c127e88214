// The calibration loop (calibrate.ts) in a process of its own: `out/bench/calibrate-process.js [RUNS]`
// reports { medianMs, runs, freshPageUs } to run.mjs.
import { calibrate, freshPageUs } from './calibrate';
import { report } from './measure';

void report({ ...calibrate(Number(process.argv[2] ?? 9)), freshPageUs: freshPageUs() });
