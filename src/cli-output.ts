// Where the CLI's output goes: stdout and stderr, a terminal or a pipe.
//  - To a terminal, text from others (bodies, headers, server messages, log lines) is shown with its
//    control characters made visible (core/terminal-text.ts); to a pipe or a file it goes byte for
//    byte. JSON is JSON-escaped either way (DEL and C1 controls too).
//  - A large body is written in slices, each after the stream took the previous one, so it is never
//    copied whole into a string or the stream's buffer; and the process exits only after both
//    streams have flushed (a pipe takes 64 KiB at a time: exiting earlier cut the output there).
import { randomUUID } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { jsonSafe, terminalSafe } from './core/terminal-text';

const SLICE = 1024 * 1024;
/**
 * Decoded slices are smaller: their strings (decoded, escaped, encoded again) are garbage at once,
 * and strings this size die young in V8's new space instead of piling up in large-object space
 * until a full collection (1 MiB slices made the peak RSS of a 50 MB body swing by 30 MB).
 */
const TEXT_SLICE = 64 * 1024;

type Stream = NodeJS.WritableStream & { isTTY?: boolean; writableNeedDrain?: boolean };

export class Output {
  constructor(private readonly stream: Stream) {}

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  /** Text that may hold anyone's characters: made harmless for a terminal. */
  print(text: string): void {
    this.stream.write(this.isTTY ? terminalSafe(text) : text);
  }

  /** The CLI's own control sequences (a progress line), as they are. */
  control(text: string): void {
    this.stream.write(text);
  }

  /** JSON text: its DEL and C1 characters escaped too (the same JSON value). */
  printJson(json: string): void {
    this.stream.write(jsonSafe(json));
  }

  /** Resolves once the stream can take more (at once when it is not full). */
  drained(): Promise<void> {
    if (!this.stream.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { this.stream.off('drain', done); this.stream.off('close', done); this.stream.off('error', done); resolve(); };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
  }

  /** Resolves once everything written so far has been handed to the system. */
  flushed(): Promise<void> {
    return new Promise((resolve) => {
      try {
        this.stream.write('', () => resolve());
      } catch {
        resolve();
      }
    });
  }

  /** A body's bytes as UTF-8 text (or as the inside of a JSON string), slice by slice. */
  async printBody(body: Uint8Array, as: 'text' | 'json'): Promise<void> {
    if (as === 'text' && !this.isTTY) {
      // Byte for byte: the body's own bytes, slice by slice, never decoded.
      for (let at = 0; at < body.byteLength; at += SLICE) {
        this.stream.write(Buffer.from(body.buffer, body.byteOffset + at, Math.min(SLICE, body.byteLength - at)));
        await this.drained();
      }
      return;
    }
    const decoder = new StringDecoder('utf8');
    let pending = '';
    for (let at = 0; at < body.byteLength; at += TEXT_SLICE) {
      let text = pending + decoder.write(Buffer.from(body.buffer, body.byteOffset + at, Math.min(TEXT_SLICE, body.byteLength - at)));
      pending = '';
      // A \r at the end may be half of a \r\n: the terminal rule needs the next character.
      if (as === 'text' && text.endsWith('\r') && at + TEXT_SLICE < body.byteLength) {
        pending = '\r';
        text = text.slice(0, -1);
      }
      this.piece(text, as);
      await this.drained();
    }
    this.piece(pending + decoder.end(), as);
  }

  private piece(text: string, as: 'text' | 'json'): void {
    if (text === '') return;
    if (as === 'json') this.printJson(JSON.stringify(text).slice(1, -1));
    else this.print(text);
  }

  /**
   * `value` as JSON.stringify(value, null, 2) would write it, indented by `indent`, with `body`'s
   * bytes as the string that stands where `value` holds BODY (see jsonWithBody).
   */
  async printJsonWithBody(value: unknown, body: Uint8Array | undefined, token: string, indent = ''): Promise<void> {
    const json = JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);
    const at = body ? json.indexOf(`"${token}"`) : -1;
    if (at < 0) {
      this.printJson(json);
      return;
    }
    this.printJson(json.slice(0, at + 1));
    await this.drained();
    await this.printBody(body!, 'json');
    this.printJson(json.slice(at + 1 + token.length));
    await this.drained();
  }
}

/** A string that stands for a body in a value given to printJsonWithBody (unique per process). */
export const BODY_TOKEN = `woo-api-body-${randomUUID()}`;

export const stdout = new Output(process.stdout);
export const stderr = new Output(process.stderr);

/** Exits with `code` once stdout and stderr have taken everything written. */
export async function exitWhenFlushed(code: number): Promise<never> {
  await Promise.all([stdout.flushed(), stderr.flushed()]);
  process.exit(code);
}
