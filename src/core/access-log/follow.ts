// Following a growing log file, as `tail -F` does, for `woo-api logs watch FILE` and the editor's
// Watch Access Log: what is appended is read within a poll interval (100 ms), and the file may be
// rotated under us:
//
// - by rename (logrotate's default, `create`): the path now names another file. The old file is
//   read to its end and kept open until it has been quiet for `drainIdleMs` (a server writes to it
//   until it reopens its logs), while the new file is read from its first byte. The old file's
//   lines are then labelled with the name it was moved to (access.log.1), so evidence can be found;
// - by truncation (`copytruncate`): the file is shorter than what was read, or its bytes before
//   the read position changed (it was truncated and grew back past it between two polls). It is
//   read again from the start; the lines before are labelled with the copy (the newest sibling).
// - the file may be missing for a while (between rename and create, or before the server starts):
//   it is waited for.
//
// With `sinceMs` (`--since`), the rotated siblings modified since then (access.log.1,
// access.log.2.gz, access.log-20261127.gz, ...) are read once, oldest first, gzip or not, then the
// file from its start; the analyzer skips lines dated before `sinceMs`. Without it, the file is
// read from its end: only what is written from now on.
//
// Only whole lines are handed on: each file keeps its unfinished last line until its line break
// arrives, so lines of two files read in turn (the old one draining, the new one growing) are never
// mixed, and each line is numbered in its own file.
//
// I/O: node:fs and node:zlib only; no `vscode`.

import { createReadStream, promises as fsp, type BigIntStats } from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

const CHUNK_BYTES = 64 * 1024;
/** Bytes before the read position remembered to notice a truncation the size alone cannot show. */
const TAIL_BYTES = 32;
const MAX_LINE_CHARS = 1 << 20;

/** What the follower hands on: whole lines of text, and which file and line they start at. */
export interface LineSink {
  /** Text from here on comes from `source` (a path), starting at its 1-based line `firstLine`; `fileId` tells apart two files that had the same path. */
  source(name: string, firstLine: number, fileId: number): void;
  /** Whole lines, each ending with a line break. */
  text(text: string): void;
  /** The file `fileId` was found under another name (rotated): relabel its lines. */
  renamed?(fileId: number, name: string): void;
}

export interface FollowOptions {
  /** Read the rotated siblings modified since then, then the file from its start (`--since`). */
  sinceMs?: number;
  /** Start at the file's first byte instead of its end (implied by sinceMs). */
  fromStart?: boolean;
  pollMs?: number;
  /** A file rotated by rename is read until it has not grown for this long. */
  drainIdleMs?: number;
  onNotice?: (message: string) => void;
}

/** A read failure that stops following, in a sentence (permission denied, not a file). */
export class FollowError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

/**
 * Cuts decoded text into whole lines: what follows the last line break waits for the next chunk.
 * A "line" longer than a megabyte is not an access-log line: 200 characters of it stand for it (a
 * malformed line) and the rest is skipped up to the next line break.
 */
export class LineCutter {
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';
  /** Drop text up to the first line break (started in the middle of a line, or a line too long). */
  skipping = false;

  /** The whole lines completed by this chunk (each with its line break), or '' when none. */
  cut(chunk: Buffer | string): string {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    if (this.skipping) {
      const nl = text.indexOf('\n');
      if (nl < 0) return '';
      this.skipping = false;
      start = nl + 1;
    }
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < start) {
      this.carry += start === 0 ? text : text.slice(start);
      if (this.carry.length <= MAX_LINE_CHARS) return '';
      const stand = `${this.carry.slice(0, 200)}\n`;
      this.carry = '';
      this.skipping = true;
      return stand;
    }
    const whole = this.carry + text.slice(start, lastNl + 1);
    this.carry = lastNl + 1 < text.length ? text.slice(lastNl + 1) : '';
    return whole;
  }

  /** The end of the input: its unfinished last line, as a line ('' when there is none). */
  end(): string {
    const rest = this.carry + this.decoder.end();
    this.carry = '';
    return rest.length > 0 && !this.skipping ? `${rest}\n` : '';
  }
}

interface OpenFile {
  id: number;
  label: string;
  fh: fsp.FileHandle;
  ino: bigint;
  dev: bigint;
  pos: number;
  /** The bytes just before `pos` as last read (to notice a truncation that grew back). */
  tail: Buffer;
  lines: LineCutter;
  /** Lines handed on so far (the next one is line + 1). */
  line: number;
  /** Draining after a rename: when it last grew. */
  lastGrowth: number;
  /** Where a rename put it, once looked up. */
  movedTo?: string | null;
}

let nextFileId = 1;

export class FileFollower {
  private current?: OpenFile;
  private readonly draining: OpenFile[] = [];
  private stopped = false;
  private wake?: () => void;
  private readonly buf = Buffer.allocUnsafe(CHUNK_BYTES + TAIL_BYTES);
  private toldWaiting = false;
  private toldMoved = false;
  private readonly pollMs: number;
  private readonly drainIdleMs: number;
  private activeSource = -1;

  constructor(readonly file: string, private readonly sink: LineSink, private readonly options: FollowOptions = {}) {
    this.pollMs = options.pollMs ?? 100;
    this.drainIdleMs = options.drainIdleMs ?? 2000;
  }

  /** Follows until stop(); rejects with a FollowError when the file cannot be read at all. */
  async run(): Promise<void> {
    try {
      if (this.options.sinceMs !== undefined) await this.readSiblings(this.options.sinceMs);
      // Only a file there at the start is read from its end; one that appears later is new from its first byte.
      let atEnd = !(this.options.fromStart || this.options.sinceMs !== undefined);
      while (!this.stopped) {
        if (!this.current) {
          await this.openCurrent(atEnd);
          atEnd = false;
        }
        const progressed = await this.poll();
        if (!progressed && !this.stopped) await this.sleep();
      }
    } finally {
      for (const f of [this.current, ...this.draining]) if (f) await f.fh.close().catch(() => undefined);
      this.current = undefined;
      this.draining.length = 0;
    }
  }

  /** Stops following (run() resolves after closing the files). */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, this.pollMs);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  private notice(message: string): void {
    this.options.onNotice?.(message);
  }

  // ---- opening

  private async openCurrent(atEnd: boolean): Promise<void> {
    let fh: fsp.FileHandle;
    try {
      fh = await fsp.open(this.file, 'r');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        if (!this.toldWaiting) this.notice(`${this.file} does not exist (yet); waiting for it.`);
        this.toldWaiting = true;
        return;
      }
      throw describe(err as NodeJS.ErrnoException, this.file);
    }
    const st = await fh.stat({ bigint: true });
    if (!st.isFile()) {
      await fh.close();
      throw new FollowError(`${this.file} is not a file${st.isDirectory() ? ' (it is a directory)' : ''}.`, 'EISDIR');
    }
    if (this.toldWaiting) this.notice(`${this.file} appeared; reading it.`);
    this.toldWaiting = false;
    this.toldMoved = false;
    const f = this.fileOf(fh, st, this.file);
    if (atEnd && st.size > 0n) {
      f.pos = Number(st.size);
      // The lines already there are counted, so that evidence names the file's own line numbers.
      f.line = await this.countLines(fh, f.pos);
      // Starting at the end in the middle of a line (a write in progress): skip to its end.
      const last = Buffer.alloc(1);
      await fh.read(last, 0, 1, f.pos - 1);
      if (last[0] !== 0x0a) {
        f.lines.skipping = true;
        f.line++;
      }
      f.tail = await this.readTail(fh, f.pos);
    }
    this.current = f;
  }

  /** Line breaks in the file's first `end` bytes (read a mebibyte at a time, about a second per gigabyte). */
  private async countLines(fh: fsp.FileHandle, end: number): Promise<number> {
    const b = Buffer.allocUnsafe(1 << 20);
    let n = 0;
    for (let pos = 0; pos < end && !this.stopped; ) {
      const { bytesRead } = await fh.read(b, 0, Math.min(b.length, end - pos), pos);
      if (bytesRead === 0) break;
      for (let i = b.indexOf(10, 0); i >= 0 && i < bytesRead; i = b.indexOf(10, i + 1)) n++;
      pos += bytesRead;
    }
    return n;
  }

  private fileOf(fh: fsp.FileHandle, st: BigIntStats, label: string): OpenFile {
    return { id: nextFileId++, label, fh, ino: st.ino, dev: st.dev, pos: 0, tail: Buffer.alloc(0), lines: new LineCutter(), line: 0, lastGrowth: Date.now() };
  }

  private async readTail(fh: fsp.FileHandle, pos: number): Promise<Buffer> {
    const k = Math.min(TAIL_BYTES, pos);
    const b = Buffer.alloc(k);
    if (k > 0) await fh.read(b, 0, k, pos - k);
    return b;
  }

  // ---- polling

  /** One round: reads what is new in each open file, notices rotations. True when anything was read. */
  private async poll(): Promise<boolean> {
    let progressed = false;
    for (const f of [...this.draining]) {
      // A drained file that is truncated or rewritten now holds something else: it is done.
      const read = await this.readNew(f, false);
      const now = Date.now();
      if (read > 0) {
        f.lastGrowth = now;
        progressed = true;
      } else if (read < 0 || now - f.lastGrowth >= this.drainIdleMs) {
        this.finishFile(f);
        this.draining.splice(this.draining.indexOf(f), 1);
        await f.fh.close().catch(() => undefined);
      }
    }
    const f = this.current;
    if (!f) return progressed;
    if ((await this.readNew(f)) > 0) progressed = true;

    // Rotation by rename: the path names another file now, or nothing.
    let pst: BigIntStats | undefined;
    try {
      pst = await fsp.stat(this.file, { bigint: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw describe(err as NodeJS.ErrnoException, this.file);
    }
    if (pst && pst.ino === f.ino && pst.dev === f.dev) return progressed;
    if (f.movedTo === undefined) {
      f.movedTo = (await this.findByInode(f)) ?? null;
      if (f.movedTo) {
        f.label = f.movedTo;
        this.sink.renamed?.(f.id, f.movedTo);
      }
    }
    const movedTo = f.movedTo ?? undefined;
    if (!pst) {
      // Moved away, the new file not created yet: keep reading the old one meanwhile.
      if (!this.toldMoved) this.notice(`${this.file} was moved${movedTo ? ` to ${path.basename(movedTo)}` : ' away'}; waiting for the new ${path.basename(this.file)}.`);
      this.toldMoved = true;
      return progressed;
    }
    this.notice(`${this.file} was rotated${movedTo ? ` (the old file is now ${path.basename(movedTo)})` : ''}; reading the new one.`);
    f.lastGrowth = Date.now();
    this.draining.push(f);
    this.current = undefined;
    await this.openCurrent(false);
    return true;
  }

  /**
   * Reads everything appended to f since the last read. Returns the bytes read, or -1 when f was
   * truncated and `restart` is false (a file being drained: its lines were all read).
   */
  private async readNew(f: OpenFile, restart = true): Promise<number> {
    const st = await f.fh.stat({ bigint: true });
    const size = Number(st.size);
    if (size < f.pos || (f.pos > 0 && size > f.pos && !(await this.tailUnchanged(f)))) {
      if (!restart) return -1;
      await this.truncated(f);
    }
    let total = 0;
    while (!this.stopped) {
      const { bytesRead } = await f.fh.read(this.buf, 0, CHUNK_BYTES, f.pos);
      if (bytesRead === 0) break;
      f.pos += bytesRead;
      total += bytesRead;
      const chunk = this.buf.subarray(0, bytesRead);
      f.tail = Buffer.from(bytesRead >= TAIL_BYTES ? chunk.subarray(bytesRead - TAIL_BYTES) : Buffer.concat([f.tail, chunk]).subarray(-TAIL_BYTES));
      this.emit(f, f.lines.cut(chunk));
      if (bytesRead < CHUNK_BYTES) break;
    }
    return total;
  }

  private async tailUnchanged(f: OpenFile): Promise<boolean> {
    const now = await this.readTail(f.fh, f.pos);
    return now.equals(f.tail);
  }

  /** copytruncate: the lines read so far went to a copy; the file starts again. */
  private async truncated(f: OpenFile): Promise<void> {
    this.finishFile(f);
    const copy = await this.newestSibling(f.pos);
    if (copy) this.sink.renamed?.(f.id, copy);
    this.notice(`${f.label} was truncated${copy ? ` (copied to ${path.basename(copy)} first)` : ''}; reading it from the start.`);
    f.id = nextFileId++;
    f.pos = 0;
    f.tail = Buffer.alloc(0);
    f.lines = new LineCutter();
    f.line = 0;
    this.activeSource = -1;
  }

  /** Hands on whole lines of f, announcing f as the source when the last text came from another file. */
  private emit(f: OpenFile, text: string): void {
    if (text.length === 0) return;
    if (this.activeSource !== f.id) {
      this.sink.source(f.label, f.line + 1, f.id);
      this.activeSource = f.id;
    }
    this.sink.text(text);
    f.line += countLineBreaks(text);
  }

  /** The end of a file: its unfinished last line is a line. */
  private finishFile(f: OpenFile): void {
    this.emit(f, f.lines.end());
  }

  // ---- rotated siblings

  /** The file that now has f's inode, in the same directory (where a rename put it). */
  private async findByInode(f: OpenFile): Promise<string | undefined> {
    const dir = path.dirname(this.file);
    for (const name of await rotatedNames(this.file)) {
      try {
        const st = await fsp.stat(path.join(dir, name), { bigint: true });
        if (st.ino === f.ino && st.dev === f.dev) return path.join(dir, name);
      } catch {
        /* gone meanwhile */
      }
    }
    return undefined;
  }

  /** copytruncate's copy: the newest plain sibling at least as long as what was read. */
  private async newestSibling(minSize: number): Promise<string | undefined> {
    const siblings = await rotatedSiblings(this.file, -Infinity);
    for (let i = siblings.length - 1; i >= 0; i--) {
      const s = siblings[i];
      if (!s.path.endsWith('.gz') && s.size >= minSize) return s.path;
    }
    return undefined;
  }

  private async readSiblings(sinceMs: number): Promise<void> {
    for (const s of await rotatedSiblings(this.file, sinceMs)) {
      if (this.stopped) return;
      const f: OpenFile = { id: nextFileId++, label: s.path, fh: undefined as unknown as fsp.FileHandle, ino: 0n, dev: 0n, pos: 0, tail: Buffer.alloc(0), lines: new LineCutter(), line: 0, lastGrowth: 0 };
      let stream: Readable;
      try {
        stream = await openMaybeGzip(s.path);
      } catch (err) {
        this.notice(`${s.path} could not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); skipped.`);
        continue;
      }
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          this.emit(f, f.lines.cut(chunk));
          if (this.stopped) break;
        }
        this.finishFile(f);
      } catch (err) {
        this.notice(`${s.path} could not be read to its end (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the rest of it is skipped.`);
      } finally {
        stream.destroy();
      }
    }
  }
}

function countLineBreaks(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function describe(err: NodeJS.ErrnoException, file: string): FollowError {
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return new FollowError(`Cannot read ${file}: permission denied (logs are often readable by root or the adm group only).`, err.code);
    case 'EISDIR':
      return new FollowError(`${file} is a directory, not a log file.`, err.code);
    default:
      return new FollowError(`Cannot read ${file}: ${err.code ?? err.message}.`, err.code);
  }
}

/** Names in the file's directory that logrotate and friends give its rotated copies: .1, .2.gz, -20261127, -20261127.gz, .2026-11-27. */
async function rotatedNames(file: string): Promise<string[]> {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return [];
  }
  return names.filter((n) => {
    if (n.length <= base.length + 1 || !n.startsWith(base)) return false;
    const sep = n[base.length];
    if (sep !== '.' && sep !== '-' && sep !== '_') return false;
    const rest = n.slice(base.length + 1).replace(/\.gz$/, '');
    return /^\d{1,4}$/.test(rest) || /^\d{8}(\d{2})?$/.test(rest) || /^\d{4}-\d{2}-\d{2}$/.test(rest);
  });
}

export interface Sibling {
  path: string;
  mtimeMs: number;
  size: number;
}

/** The file's rotated siblings modified at or after `sinceMs`, oldest first. */
export async function rotatedSiblings(file: string, sinceMs: number): Promise<Sibling[]> {
  const dir = path.dirname(file);
  const out: Sibling[] = [];
  for (const name of await rotatedNames(file)) {
    const p = path.join(dir, name);
    try {
      const st = await fsp.stat(p);
      if (st.isFile() && st.mtimeMs >= sinceMs) out.push({ path: p, mtimeMs: st.mtimeMs, size: st.size });
    } catch {
      /* gone meanwhile */
    }
  }
  return out.sort((a, b) => a.mtimeMs - b.mtimeMs || b.path.localeCompare(a.path));
}

/** A read stream of the file's text bytes: gunzipped when it starts with gzip's magic bytes. */
export async function openMaybeGzip(file: string): Promise<Readable> {
  const fh = await fsp.open(file, 'r');
  const head = Buffer.alloc(2);
  let gz = false;
  try {
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    gz = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  if (!gz) return raw;
  const out = raw.pipe(createGunzip({ chunkSize: CHUNK_BYTES }));
  raw.on('error', (err) => out.destroy(err));
  out.on('close', () => raw.destroy());
  return out;
}

/**
 * Feeds a stream of bytes (standard input, a command's output) to `sink` as whole lines, numbered
 * from 1 under `name`. Resolves at the stream's end (its last line ended) or when `signal` aborts.
 */
export async function followStream(input: AsyncIterable<Buffer | string>, name: string, sink: LineSink, signal?: AbortSignal): Promise<void> {
  const lines = new LineCutter();
  sink.source(name, 1, nextFileId++);
  for await (const chunk of input) {
    const text = lines.cut(chunk);
    if (text.length > 0) sink.text(text);
    if (signal?.aborted) return;
  }
  const rest = lines.end();
  if (rest.length > 0) sink.text(rest);
}
