// JetBrains response handlers (`> {% client.test(...) %}`, `> ./handler.js`, SPEC §10.4), run where
// they cannot hurt: only when the caller says the workspace is trusted, and then in a worker thread
// (its own heap with a memory cap, killed on a wall-clock deadline, so an infinite loop or a huge
// allocation cannot take the extension host or the CLI down) inside a fresh `vm` context.
//
// `vm` alone is not a security boundary: an object from the outer realm hands out its constructor
// chain, and from there `process`. So nothing from outside enters the context: the response and the
// globals go in as one JSON string, `client` and `response` are built by a prelude running inside
// the context, results come out as a JSON string. Code generation from strings (`eval`,
// `Function(...)`) and WebAssembly are off in the context, its intrinsics are frozen after the
// prelude, promises run before the timeout ends (`microtaskMode: 'afterEvaluate'`), and the worker
// gets no environment variables and no stdio of ours. No `require`, no `process`, no timers.

import { Worker } from 'node:worker_threads';

export interface HandlerResponse {
  status: number;
  headers: readonly [string, string][];
  bodyText: string;
  contentType?: string;
}

export interface HandlerRun {
  source: string;
  /** Shown in errors: `handler.js`, or `response handler (line 12)`. */
  origin: string;
  response: HandlerResponse;
  /** `client.global`: read, and written back in the result. */
  globals: Record<string, string>;
  /** CPU time for the script (vm timeout) and, plus a margin, the wall-clock deadline. Default 2000. */
  timeoutMs?: number;
  /** Heap of the worker. Default 64 MB. */
  memoryMb?: number;
}

export interface HandlerTest {
  name: string;
  passed: boolean;
  message?: string;
}

export interface HandlerOutcome {
  tests: HandlerTest[];
  globals: Record<string, string>;
  logs: string[];
  /** The script failed outside any client.test, timed out or ran out of memory: a sentence. */
  error?: string;
}

/** Inputs past these are refused before a worker starts. */
export const HANDLER_LIMITS = { sourceBytes: 256 * 1024, bodyBytes: 10 * 1024 * 1024 } as const;

// Runs inside the context, before the user's script. DATA is replaced by a JSON string literal.
const PRELUDE = `(function () {
  'use strict';
  var data = JSON.parse(DATA);
  var tests = [], logs = [], globals = data.globals;
  function text(v) { if (typeof v === 'string') return v; try { var s = JSON.stringify(v); return s === undefined ? String(v) : s; } catch (e) { return String(v); } }
  function message(e) { return e && typeof e.message === 'string' ? e.message : text(e); }
  var list = data.headers;
  var headers = Object.freeze({
    valueOf: function (name) { var l = String(name).toLowerCase(); for (var i = 0; i < list.length; i++) if (list[i][0].toLowerCase() === l) return list[i][1]; return null; },
    valuesOf: function (name) { var l = String(name).toLowerCase(), out = []; for (var i = 0; i < list.length; i++) if (list[i][0].toLowerCase() === l) out.push(list[i][1]); return out; },
    all: function () { return list.map(function (h) { return { name: h[0], value: h[1] }; }); }
  });
  var body = data.bodyText;
  if (data.json) { try { body = JSON.parse(data.bodyText); } catch (e) { /* the text, then */ } }
  var type = data.contentType || '';
  var charset = /charset=([^;]+)/i.exec(type);
  var response = Object.freeze({
    status: data.status, headers: headers, body: body,
    contentType: Object.freeze({ mimeType: type.split(';')[0].trim(), charset: charset ? charset[1].trim() : 'utf-8' })
  });
  var client = Object.freeze({
    test: function (name, fn) {
      var t = { name: text(name), passed: true };
      tests.push(t);
      try { fn(); } catch (e) { t.passed = false; t.message = message(e); }
    },
    assert: function (condition, msg) { if (!condition) throw new Error(msg === undefined ? 'Assertion failed' : text(msg)); },
    log: function () { var a = []; for (var i = 0; i < arguments.length; i++) a.push(text(arguments[i])); logs.push(a.join(' ')); },
    global: Object.freeze({
      set: function (k, v) { globals[text(k)] = text(v); },
      get: function (k) { return Object.prototype.hasOwnProperty.call(globals, k) ? globals[k] : null; },
      isEmpty: function () { return Object.keys(globals).length === 0; },
      clear: function (k) { delete globals[k]; },
      clearAll: function () { Object.keys(globals).forEach(function (k) { delete globals[k]; }); }
    })
  });
  Object.defineProperty(globalThis, 'client', { value: client });
  Object.defineProperty(globalThis, 'response', { value: response });
  Object.defineProperty(globalThis, '__report', { value: function () { return JSON.stringify({ tests: tests, logs: logs.slice(0, 200), globals: globals }); } });
  ['Object', 'Array', 'Function', 'String', 'Number', 'Boolean', 'Symbol', 'Error', 'TypeError', 'RangeError', 'SyntaxError',
   'ReferenceError', 'Promise', 'RegExp', 'Date', 'Math', 'JSON', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Reflect', 'BigInt']
    .forEach(function (n) { var v = globalThis[n]; if (v) { Object.freeze(v); if (v.prototype) Object.freeze(v.prototype); } });
  Object.freeze(Object.getPrototypeOf(function* () {}));
  Object.freeze(Object.getPrototypeOf(async function () {}));
})();`;

// The worker's own code (CommonJS, run with eval: true): no file to ship beside the bundle.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const vm = require('node:vm');
const { source, origin, data, prelude, timeoutMs } = workerData;
let report;
let error;
try {
  const context = vm.createContext(Object.create(null), { codeGeneration: { strings: false, wasm: false }, microtaskMode: 'afterEvaluate' });
  vm.runInContext(prelude.replace('DATA', () => JSON.stringify(JSON.stringify(data))), context, { timeout: timeoutMs });
  try {
    vm.runInContext(source, context, { filename: origin, timeout: timeoutMs });
  } catch (e) {
    const m = e && typeof e.message === 'string' ? e.message : String(e);
    error = /Script execution timed out/.test(m) ? 'timed out after ' + timeoutMs + ' ms' : m;
  }
  report = vm.runInContext('__report()', context, { timeout: timeoutMs });
} catch (e) {
  error = e && typeof e.message === 'string' ? e.message : String(e);
}
parentPort.postMessage({ report, error });
`;

/** Runs one response handler. Never throws: every failure is a sentence in `error`. */
export function runResponseHandler(run: HandlerRun): Promise<HandlerOutcome> {
  const timeoutMs = run.timeoutMs ?? 2000;
  const none = (error: string): HandlerOutcome => ({ tests: [], globals: run.globals, logs: [], error });
  if (Buffer.byteLength(run.source) > HANDLER_LIMITS.sourceBytes) return Promise.resolve(none(`${run.origin} is larger than ${HANDLER_LIMITS.sourceBytes / 1024} KB: not run.`));
  if (Buffer.byteLength(run.response.bodyText) > HANDLER_LIMITS.bodyBytes) return Promise.resolve(none(`The response body is larger than ${HANDLER_LIMITS.bodyBytes / 1024 / 1024} MB: ${run.origin} was not run.`));
  const type = run.response.contentType ?? run.response.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
  const data = {
    status: run.response.status,
    headers: run.response.headers.map(([n, v]) => [n, v]),
    bodyText: run.response.bodyText,
    contentType: type,
    json: /json/i.test(type),
    globals: { ...run.globals },
  };
  return new Promise<HandlerOutcome>((resolve) => {
    let settled = false;
    const memoryMb = run.memoryMb ?? 64;
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { source: run.source, origin: run.origin, data, prelude: PRELUDE, timeoutMs },
      env: {},
      stdout: true,
      stderr: true,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.max(4, Math.floor(memoryMb / 4)), stackSizeMb: 4 },
    });
    const finish = (outcome: HandlerOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      void worker.terminate();
      resolve(outcome);
    };
    // The vm timeout stops a synchronous loop; this stops anything else (a loop in a getter the
    // report reads, a stuck worker start).
    const deadline = setTimeout(() => finish(none(`${run.origin} did not finish within ${timeoutMs + 3000} ms and was stopped.`)), timeoutMs + 3000);
    worker.on('message', (m: { report?: string; error?: string }) => {
      let parsed: { tests?: unknown; logs?: unknown; globals?: unknown } = {};
      try {
        parsed = m.report ? (JSON.parse(m.report) as typeof parsed) : {};
      } catch { /* a report we cannot read: treated as none */ }
      const tests = Array.isArray(parsed.tests) ? parsed.tests.filter(isTest) : [];
      const globals = isStringRecord(parsed.globals) ? parsed.globals : run.globals;
      const logs = Array.isArray(parsed.logs) ? parsed.logs.filter((l): l is string => typeof l === 'string') : [];
      finish({ tests, globals, logs, ...(m.error ? { error: `${run.origin}: ${m.error}` } : {}) });
    });
    worker.on('error', (err) => {
      const m = err.message ?? String(err);
      finish(none(/memory/i.test(m) || (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? `${run.origin} used more than ${memoryMb} MB and was stopped.` : `${run.origin}: ${m}`));
    });
    worker.on('exit', () => finish(none(`${run.origin} stopped before reporting.`)));
  });
}

function isTest(t: unknown): t is HandlerTest {
  return !!t && typeof t === 'object' && typeof (t as HandlerTest).name === 'string' && typeof (t as HandlerTest).passed === 'boolean';
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}
