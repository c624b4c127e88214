// The parse benchmark for one parser, in a process of its own so its memory is measured alone:
//
//   node --expose-gc out/bench/parse-bench.js ours|httpyac FILE.http WARMUPS RUNS
//
// 1. Memory, on the first (cold) parse of the fresh process: RSS just before, and the process's
//    peak RSS (getrusage ru_maxrss, the kernel's high-water mark) just after; their difference is
//    what the parse added at its peak. Also the heap still used by the parsed result after a full GC.
// 2. Time: WARMUPS untimed parses, then RUNS timed ones with a full GC before each; the median.
// 3. For ours, "code lenses for that file": what RequestCodeLenses.provideCodeLenses (src/codelens.ts)
//    costs without VS Code: parse, then two lens objects per request on its requestLineRange. Plain
//    objects stand in for vscode.Range / vscode.CodeLens (the `vscode` module exists only inside the
//    extension host), so the VS Code constructors' own cost is not included.
// 4. A one-request document: the parser's fixed cost per document.
// 5. The number of requests found, which the runner checks against the corpus.

import { readFileSync } from 'node:fs';
import { indexHttpDocument, parseHttpDocument } from '../src/core/http';
import type { ParsedDocument } from '../src/core/http';
import { collectGarbage, median, peakRss, report, timeRuns } from './measure';
import { calibrationMs } from './calibrate';
// httpYac is loaded only in its own run (below), so it does not weigh on our parser's memory.
type HttpyacParser = typeof import('./httpyac-parser');

export type ParserName = 'ours' | 'httpyac';

export interface ParseResult {
  kind: 'parse';
  parser: ParserName;
  bytes: number;
  requestsFound: number;
  runs: number[];
  medianMs: number;
  /** A one-request file: the parser's fixed cost per document (httpYac: config lookup, plugin setup). */
  tinyFileMedianMs: number;
  rssBeforeBytes: number;
  peakRssBytes: number;
  /** Heap held by the parse result (after a full GC, result alive). */
  retainedHeapBytes: number;
  /** Ours: the median calibration pass run after each parse (calibrate.ts). */
  calibrationMedianMs?: number;
  /** calibrationRuns: a calibration pass (calibrate.ts) after each lens run; ratio = median lens / median pass. */
  codeLens?: { runs: number[]; medianMs: number; lenses: number; calibrationRuns: number[]; calibrationMedianMs: number; ratio: number };
}

/** What a code lens provider hands VS Code, as plain data. */
interface PlainCodeLens {
  range: { startLine: number; startCharacter: number; endLine: number; endCharacter: number };
  command: { title: string; command: string; arguments: unknown[] };
}

/** Stands in for HttpDocuments' index cache (src/http-documents.ts). */
let cachedIndex: { requestLineRange: ParsedDocument['requests'][number]['requestLineRange'] }[] | undefined;

/**
 * The work of RequestCodeLenses.provideCodeLenses for a document not parsed yet, minus the vscode
 * classes: HttpDocuments.requestLines() indexes the document (indexHttpDocument), which finds each
 * request line with the parser's own code but parses nothing after it.
 */
function codeLensesFor(text: string, uri: string): PlainCodeLens[] {
  const lenses: PlainCodeLens[] = [];
  cachedIndex = indexHttpDocument(text, { languageId: 'http' });
  for (const request of cachedIndex) {
    const r = request.requestLineRange;
    const range = { startLine: r.start.line, startCharacter: r.start.character, endLine: r.end.line, endCharacter: r.end.character };
    const line = r.start.line;
    lenses.push(
      { range, command: { title: '$(play) Send', command: 'wooApiStudio.sendRequest', arguments: [uri, line] } },
      { range, command: { title: 'Send with store…', command: 'wooApiStudio.sendRequestWithStore', arguments: [uri, line] } },
    );
  }
  return lenses;
}

const TINY = '### one\nGET https://shop.example.com/wp-json/wc/v3/products?per_page=1\nAccept: application/json\n';

async function main(): Promise<void> {
  const [parser, file, warmupArg, runsArg] = process.argv.slice(2) as [ParserName, string, string, string];
  if ((parser !== 'ours' && parser !== 'httpyac') || !file) throw new Error('usage: parse-bench.js ours|httpyac FILE WARMUPS RUNS');
  const warmups = Number(warmupArg ?? 1);
  const runs = Number(runsArg ?? 5);
  const text = readFileSync(file, 'utf8');

  const httpyac: HttpyacParser | undefined = parser === 'httpyac' ? await import('./httpyac-parser') : undefined;
  const parse = httpyac
    ? async (t: string) => httpyac.parseWithHttpyac(file, t)
    : async (t: string) => parseHttpDocument(t, { languageId: 'http' });
  const count = (result: unknown): number =>
    httpyac ? httpyac.httpyacRequestCount(result as Awaited<ReturnType<HttpyacParser['parseWithHttpyac']>>) : (result as ParsedDocument).requests.length;

  // 1. Memory on the cold parse.
  collectGarbage();
  const rssBeforeBytes = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  let result: unknown = await parse(text);
  const peakRssBytes = peakRss();
  collectGarbage();
  const retainedHeapBytes = process.memoryUsage().heapUsed - heapBefore;
  const requestsFound = count(result);
  result = undefined;

  // 2. Time. Each timed function returns what it made, so it is alive when the clock stops, as the
  // product keeps it (HttpDocuments caches the parse, VS Code holds the lenses).
  // Ours: a calibration pass after each parse, so the parse speed can be judged at reference speed.
  const parseCalibrations: number[] = [];
  const times = await timeRuns(() => parse(text), warmups, runs, parser === 'ours' ? () => parseCalibrations.push(calibrationMs()) : undefined);

  // 3. Code lenses (ours only: httpYac's own lens provider lives in its VS Code extension).
  let codeLens: ParseResult['codeLens'];
  if (parser === 'ours') {
    let lenses = 0;
    // Each lens run followed by a calibration pass, so both meet the same load: their ratio is the
    // figure judged (the absolute time is printed for context).
    const calibrationRuns: number[] = [];
    const lensTimes = await timeRuns(() => {
      const made = codeLensesFor(text, 'file:///bench.http');
      lenses = made.length;
      return made;
    }, warmups, runs * 3, () => calibrationRuns.push(calibrationMs()));
    const calibrationMedianMs = median(calibrationRuns);
    codeLens = { runs: lensTimes, medianMs: median(lensTimes), lenses, calibrationRuns, calibrationMedianMs, ratio: median(lensTimes) / calibrationMedianMs };
  }

  // Last, so that a tiny document's shapes cannot change how the big one above is optimised.
  const tinyTimes = await timeRuns(() => parse(TINY), 3, 9);

  const out: ParseResult = {
    kind: 'parse',
    parser,
    bytes: Buffer.byteLength(text),
    requestsFound,
    runs: times,
    medianMs: median(times),
    ...(parseCalibrations.length ? { calibrationMedianMs: median(parseCalibrations) } : {}),
    tinyFileMedianMs: median(tinyTimes),
    rssBeforeBytes,
    peakRssBytes,
    retainedHeapBytes,
    ...(codeLens ? { codeLens } : {}),
  };
  await report(out);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
