// The worker thread of a file analysed on two threads (see split.ts): reads the byte ranges it is
// given and sends each REST line's facts to the main thread, segment by segment. Bundled on its own
// as dist/access-log-worker.js (esbuild.mjs), started by analyzeFile.

import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { AccessLogAnalyzer, LogDecoder } from './analyze';
import { CLAIMED_BY_WORKER, LineRecorder, readRange, type WorkerJob, type WorkerMessage } from './split';

async function run(job: WorkerJob, post: (m: WorkerMessage, transfer?: ArrayBuffer[]) => void): Promise<void> {
  const recorder = new LineRecorder((b) => post(b, [b.ints.buffer as ArrayBuffer, b.floats.buffer as ArrayBuffer]));
  const fh = await open(job.file, 'r');
  try {
    for (let segment = 0; segment < job.ranges.length; segment++) {
      // The main thread may have taken it (it got there first, or stopped waiting for this thread).
      if (Atomics.compareExchange(job.claims, segment, 0, CLAIMED_BY_WORKER) !== 0) continue;
      const [start, end] = job.ranges[segment];
      recorder.startSegment(segment, job.maxIds);
      const a = new AccessLogAnalyzer({ format: job.format, sinceMs: job.sinceMs, assumeScheme: job.assumeScheme }, recorder);
      const decoder = new LogDecoder();
      await readRange(fh, start, end, decoder, (text) => a.feedText(text));
      a.feedText(decoder.end());
      a.end();
      recorder.flush();
      post({ type: 'end', segment, ...a.segmentCounts() });
    }
  } finally {
    await fh.close();
  }
}

const port = parentPort;
if (port) {
  run(workerData as WorkerJob, (m, transfer) => port.postMessage(m, transfer)).catch((err: unknown) => {
    port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies WorkerMessage);
  });
}
