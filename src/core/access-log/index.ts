// Server access-log analysis (Apache/nginx): parse.ts reads lines, analyze.ts finds the anomalies,
// report.ts puts them in words. See analyze.ts for what is reported and how secrets are kept out.
// Following a live log: live.ts (alerts from the same analyzer), follow.ts (a growing, rotating
// file; standard input), rules.ts (thresholds, allow-lists, important routes), address-range.ts.
export * from './parse';
export * from './analyze';
export * from './report';
export * from './rules';
export * from './live';
export * from './follow';
export * from './address-range';
