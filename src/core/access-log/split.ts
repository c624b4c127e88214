// A large plain log analysed on two threads, with the same report as on one.
//
// The file is cut at line starts into segments, by rounds: the first part of each round is the main
// thread's, the rest a worker thread's. The main thread analyses its segments as usual. The worker
// only reads its segments (splitting lines, scanning fields, the REST filter, the route and the
// query: most of the cost of a line) and sends, for each REST line, its facts as typed arrays with
// the strings replaced by ids that last the whole file (LineRecorder). The main thread applies them in file order
// (AccessLogAnalyzer.replaySegment) with the very code a line of its own goes through, so every
// detector that depends on time order (bursts, success then failure, key guessing, unusual hours),
// every table cap and every first-N list comes out as on one thread: the state is never merged.
//
// Chunks are cut where a one-thread read would cut them (multiples of CHUNK_BYTES from the start of
// the file) and at segment boundaries, which are line starts: every line is fed as one text, so it
// is read the same whatever thread reads it.
//
// When a worker cannot be started (no worker bundle beside this one), fails or sends something
// unexpected, the main thread reads the worker's remaining segments itself: a segment is applied
// only once the worker has sent all of it. On a busy machine the worker may get no core of its own:
// each segment is claimed (an atomic compare-and-swap) by whichever thread starts it, the main thread
// reads a worker segment not started yet when it gets there, and once it has had to wait for the
// worker longer than its own last segment took, it claims every segment left (one thread is then
// cheaper than two sharing a core).

import type { FileHandle } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';

/** Int32 facts per REST line: relative line, class, address, method, endpoint, flags, agent, key, user, scheme text. */
export const INTS = 10;
/** Float64 facts per REST line: time (UTC ms), zone offset (minutes). */
export const FLOATS = 2;
/** flags bits */
export const NEEDS_AUTH = 1, SECRET_IN_QUERY = 2, SCHEME_HTTP = 4, SCHEME_HTTPS = 8;
const BATCH_LINES = 8192;
export const CLAIMED_BY_WORKER = 1, CLAIMED_BY_MAIN = 2;

/**
 * Bytes decoded and fed at a time, cut at multiples of this from the start of the file. Small enough
 * that each decoded chunk is an ordinary young-generation string (V8 puts bigger ones in large-object
 * space, collected only by full GCs: on the benchmark's 230 MB log, peak RSS was 186 MB with 1 MiB
 * chunks and 146 MB with 64 KiB, at the same speed).
 */
export const CHUNK_BYTES = 64 * 1024;
/**
 * Bytes asked of the file system at a time (a plain file), with the next read already under way
 * while one is analysed. Each read is a trip through libuv's thread pool: at 64 KiB, 3,500 of them
 * for the benchmark's log, each waiting for a core on a busy machine.
 */
export const READ_BYTES = 1024 * 1024;

export interface RecordBatch {
  type: 'batch';
  segment: number;
  count: number;
  ints: Int32Array;
  floats: Float64Array;
  /** Strings new since the last batch, in id order (ids go on from one segment to the next). */
  strings: string[];
  /** The ids start again from 0 with this batch's strings (the table grew past MAX_IDS). */
  restart: boolean;
}

export interface SegmentCounts {
  /** Lines in the segment (as numbered from 1 within it). */
  lines: number;
  blank: number;
  parsed: number;
  malformed: number;
  /** The first malformed lines' numbers, within the segment. */
  malformedSample: number[];
  rest: number;
  beforeSince: number;
}

export interface SegmentEnd extends SegmentCounts {
  type: 'end';
  segment: number;
}

export type WorkerMessage = RecordBatch | SegmentEnd | { type: 'error'; message: string };

/** What the worker is given (workerData). */
export interface WorkerJob {
  file: string;
  /** The format in use: a named format or a format string (compileLogFormat's input). */
  format: string;
  sinceMs?: number;
  assumeScheme?: 'http' | 'https';
  /** Strings kept ids for before the table starts again (default MAX_IDS). */
  maxIds?: number;
  /** [start, end) byte ranges, each beginning at a line start, in file order. */
  ranges: Array<[number, number]>;
  /**
   * Who reads each range (SharedArrayBuffer over Int32): 0 nobody yet, CLAIMED_BY_WORKER, or
   * CLAIMED_BY_MAIN. Each side claims a range with a compare-and-swap before reading it.
   */
  claims: Int32Array;
}

/** One segment's REST lines as the main thread receives them. */
export interface SegmentRecords {
  batches: RecordBatch[];
  /** The strings new in this segment, in id order. */
  strings: string[];
  /** Their ids start again from 0: the strings of earlier segments are no longer referred to. */
  restart: boolean;
  end: SegmentEnd;
}

/**
 * Strings the worker keeps ids for before it starts its table again (at the start of a segment): a
 * log with a flood of new addresses or keys does not grow it without end. A string is sent once
 * per table, so a client's address crosses once per file in the usual case, not once per segment.
 */
export const MAX_IDS = 1 << 17;

/**
 * An empty list made for strings: a `[]` starts out as a list of small integers and changes kind at
 * its first string, which sent the recorder's optimised code back to the interpreter a few times.
 */
function strings(): string[] {
  const list = [''];
  list.length = 0;
  return list;
}

/**
 * The worker side: REST lines' facts in typed arrays, strings replaced by their index in a table
 * kept from one segment to the next (a client's address or agent is sent once, not once per line).
 */
export class LineRecorder {
  private ids = new Map<string, number>();
  /** The segment's strings by id. */
  private table = strings();
  /** By address id: the id of the user agent that address sent last (a client mostly sends one). */
  private agentOf: number[] = [];
  private lastMethod = -1;
  private restart = false;
  // The batch under way. Each field is declared (so it starts out undefined) and then set by
  // newBatch() from the constructor: written twice before the first line, so V8 never sees it change
  // from "set once" to "written again" at the first flush, which sent the recorder's optimised code
  // back to the interpreter.
  private fresh!: string[];
  private ints!: Int32Array;
  private floats!: Float64Array;
  private count!: number;
  segment = 0;

  constructor(private readonly send: (batch: RecordBatch) => void) {
    this.newBatch();
  }

  private newBatch(): void {
    this.ints = new Int32Array(BATCH_LINES * INTS);
    this.floats = new Float64Array(BATCH_LINES * FLOATS);
    this.fresh = strings();
    this.count = 0;
  }

  /** A new segment: new line numbers; a new string table once the table holds `maxIds` strings. */
  startSegment(segment: number, maxIds = MAX_IDS): void {
    this.flush();
    this.segment = segment;
    if (this.table.length >= maxIds) {
      this.ids = new Map();
      this.table = strings();
      this.agentOf = [];
      this.lastMethod = -1;
      this.restart = true;
    }
  }

  private id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.ids.size;
      // A copy: the line's slice would keep its whole chunk alive.
      const own = (' ' + s).slice(1);
      this.ids.set(own, i);
      this.table.push(own);
      this.fresh.push(own);
    }
    return i;
  }

  add(
    n: number, t: number, off: number, cls: number, address: string, method: string, endpoint: string, needsAuth: boolean,
    ua: string | undefined, key: string | undefined, secretInQuery: boolean, user: string | undefined,
    scheme: [('http' | 'https') | undefined, string] | undefined,
  ): void {
    const i = this.count * INTS;
    const ints = this.ints;
    let flags = needsAuth ? NEEDS_AUTH : 0;
    if (secretInQuery) flags |= SECRET_IN_QUERY;
    if (scheme !== undefined) flags |= scheme[0] === 'http' ? SCHEME_HTTP : scheme[0] === 'https' ? SCHEME_HTTPS : 0;
    // Texts compared with the last one seen where they mostly repeat: cheaper than hashing them.
    const table = this.table;
    const who = this.id(address);
    let verb = this.lastMethod;
    if (verb < 0 || table[verb] !== method) verb = this.lastMethod = this.id(method);
    let agent = -1;
    if (ua !== undefined) {
      agent = this.agentOf[who] ?? -1;
      if (agent < 0 || table[agent] !== ua) agent = this.agentOf[who] = this.id(ua);
    }
    ints[i] = n;
    ints[i + 1] = cls;
    ints[i + 2] = who;
    ints[i + 3] = verb;
    ints[i + 4] = this.id(endpoint);
    ints[i + 5] = flags;
    ints[i + 6] = agent;
    ints[i + 7] = key === undefined ? -1 : this.id(key);
    ints[i + 8] = user === undefined ? -1 : this.id(user);
    ints[i + 9] = scheme === undefined ? -1 : this.id(scheme[1]);
    const j = this.count * FLOATS;
    this.floats[j] = t;
    this.floats[j + 1] = off;
    if (++this.count === BATCH_LINES) this.flush();
  }

  /** Sends what is recorded (the arrays go to the main thread; new ones are made). */
  flush(): void {
    if (this.count === 0 && this.fresh.length === 0 && !this.restart) return;
    this.send({ type: 'batch', segment: this.segment, count: this.count, ints: this.ints, floats: this.floats, strings: this.fresh, restart: this.restart });
    this.restart = false;
    this.newBatch();
  }
}

/** Text pieces out of bytes (LogDecoder's shape). */
export interface PieceDecoder {
  write(buf: Buffer, from: number, to: number): string;
}

/**
 * Reads [start, end) of the file and hands its text to `feed`, cut at multiples of CHUNK_BYTES from
 * the start of the file (as a one-thread read cuts it), the next read in flight meanwhile.
 */
export async function readRange(
  fh: FileHandle, start: number, end: number, decoder: PieceDecoder, feed: (text: string, at: number) => void,
  buffers: Buffer[] = [Buffer.allocUnsafe(READ_BYTES), Buffer.allocUnsafe(READ_BYTES)],
): Promise<void> {
  let position = start;
  let which = 0;
  const readAt = (at: number) => fh.read(buffers[which], 0, Math.min(READ_BYTES, end - at), at);
  let next: Promise<{ bytesRead: number }> | undefined = position < end ? readAt(position) : undefined;
  try {
    while (next) {
      const { bytesRead } = await next;
      next = undefined;
      if (bytesRead === 0) break;
      const buf = buffers[which];
      const from = position;
      position += bytesRead;
      which ^= 1;
      if (position < end) next = readAt(position);
      for (let off = 0; off < bytesRead;) {
        const to = Math.min(bytesRead, off + CHUNK_BYTES - ((from + off) % CHUNK_BYTES));
        feed(decoder.write(buf, off, to), from + to);
        off = to;
      }
    }
  } finally {
    // A read still under way writes into its buffer: it ends before the caller reuses it or closes the file.
    if (next) await next.catch(() => undefined);
  }
}

/** The start of the first line that begins at or after `offset` (undefined: none within 1 MiB, or the end of the file). */
export async function lineStartAtOrAfter(fh: FileHandle, offset: number, size: number): Promise<number | undefined> {
  if (offset <= 0) return 0;
  const buf = Buffer.allocUnsafe(64 * 1024);
  // The byte before `offset` may be the line break that ends the line before.
  for (let at = offset - 1; at < size && at < offset + READ_BYTES; at += buf.length) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - at), at);
    if (bytesRead === 0) return undefined;
    const nl = buf.subarray(0, bytesRead).indexOf(10);
    if (nl >= 0) return at + nl + 1 < size ? at + nl + 1 : undefined;
  }
  return undefined;
}

export interface Segment {
  start: number;
  end: number;
  /** The worker's (its index among the worker's segments), or -1: the main thread's. */
  worker: number;
}

/**
 * Rounds of `roundBytes`: the first `mainShare` of each is the main thread's, the rest the
 * worker's, cut at line starts. Undefined when the file gives the worker nothing.
 */
export async function planSegments(fh: FileHandle, size: number, roundBytes: number, mainShare: number): Promise<Segment[] | undefined> {
  const segments: Segment[] = [];
  let from = 0;
  let mainOwns = true;
  let workerSegments = 0;
  const cut = (end: number) => {
    const last = segments[segments.length - 1];
    if (last && (last.worker < 0) === mainOwns) last.end = end;
    else segments.push({ start: from, end, worker: mainOwns ? -1 : workerSegments++ });
    from = end;
  };
  for (let round = 0; round * roundBytes < size; round++) {
    const bounds: Array<[number, boolean]> = [[round * roundBytes + Math.round(roundBytes * mainShare), false], [(round + 1) * roundBytes, true]];
    for (const [at, mainNext] of bounds) {
      if (at >= size) continue;
      const start = await lineStartAtOrAfter(fh, at, size);
      if (start === undefined || start <= from) continue; // no line starts there: the segment goes on
      cut(start);
      mainOwns = mainNext;
    }
  }
  cut(size);
  return workerSegments > 0 ? segments : undefined;
}

/**
 * The main thread's side of the worker: its messages sorted by segment, a segment handed over once
 * complete. `segment(i)` resolves to undefined when the worker failed before finishing segment i.
 */
export class WorkerShare {
  private readonly done: Array<SegmentRecords | undefined> = [];
  private readonly open = new Map<number, { batches: RecordBatch[]; strings: string[]; restart: boolean }>();
  private failed = false;
  private waiting?: { index: number; resolve: (r: SegmentRecords | undefined) => void };

  constructor(private readonly worker: Worker) {
    worker.on('message', (m: WorkerMessage) => this.receive(m));
    worker.on('error', () => this.fail());
    worker.on('exit', () => this.fail());
  }

  private receive(m: WorkerMessage): void {
    if (this.failed) return;
    if (m === null || typeof m !== 'object' || (m.type !== 'batch' && m.type !== 'end') || typeof m.segment !== 'number') {
      this.fail();
      return;
    }
    let seg = this.open.get(m.segment);
    if (!seg) this.open.set(m.segment, (seg = { batches: [], strings: [], restart: false }));
    if (m.type === 'batch') {
      if (m.restart === true) {
        // Only the first batch of a segment starts the table again (see LineRecorder.startSegment).
        if (seg.batches.length > 0 || seg.strings.length > 0) {
          this.fail();
          return;
        }
        seg.restart = true;
      }
      for (const s of m.strings) seg.strings.push(s);
      if (m.count > 0) seg.batches.push(m);
      return;
    }
    this.open.delete(m.segment);
    const records: SegmentRecords = { batches: seg.batches, strings: seg.strings, restart: seg.restart, end: m };
    if (this.waiting?.index === m.segment) {
      const w = this.waiting;
      this.waiting = undefined;
      w.resolve(records);
    } else this.done[m.segment] = records;
  }

  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    this.open.clear();
    const w = this.waiting;
    this.waiting = undefined;
    w?.resolve(this.done[w.index]);
  }

  /** Segment i once the worker has sent all of it (each is taken once, in order). */
  segment(i: number): Promise<SegmentRecords | undefined> {
    const ready = this.done[i];
    if (ready || this.failed) {
      this.done[i] = undefined;
      return Promise.resolve(ready);
    }
    return new Promise((resolve) => (this.waiting = { index: i, resolve }));
  }

  async stop(): Promise<void> {
    this.failed = true;
    await this.worker.terminate();
  }
}
