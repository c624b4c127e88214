// Server access-log analysis (Apache/nginx): parse.ts reads lines, analyze.ts finds the anomalies,
// report.ts puts them in words. See analyze.ts for what is reported and how secrets are kept out.
export * from './parse';
export * from './analyze';
export * from './report';
