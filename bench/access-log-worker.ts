// The access-log analysis's worker thread, bundled beside out/bench/access-log-process.js as
// dist/access-log-worker.js is beside the product's bundles (analyzeFile looks for it there).
import '../src/core/access-log/access-log-worker';
