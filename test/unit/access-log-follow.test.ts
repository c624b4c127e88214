// Following a growing file on disk (FileFollower) as logrotate treats it: rotation by rename (the old
// file drained, the new one read from its start), by copytruncate (read again from the start, even
// when it grew back past the old position between two polls), a file that is not there yet, a start
// in the middle of a line, and `--since` reading the rotated siblings (gzip or not) once, oldest first.
// Standard input and command output go through followStream.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import * as zlib from 'node:zlib';
import { FileFollower, followStream, rotatedSiblings, type LineSink } from '../../src/core/access-log/follow';

interface Got {
  /** Each line with the source it was handed under and its line number there. */
  lines: { source: string; line: number; text: string; file: number }[];
  renamed: Map<number, string>;
}

function collector(): LineSink & { got: Got } {
  const got: Got = { lines: [], renamed: new Map() };
  let source = '';
  let next = 1;
  let file = 0;
  return {
    got,
    source(name, firstLine, fileId) {
      source = name;
      next = firstLine;
      file = fileId;
    },
    text(text) {
      assert.ok(text.endsWith('\n'), 'whole lines only');
      for (const l of text.slice(0, -1).split('\n')) got.lines.push({ source, line: next++, text: l, file });
    },
    renamed(fileId, name) {
      got.renamed.set(fileId, name);
    },
  };
}

async function until(what: string, probe: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const texts = (g: Got) => g.lines.map((l) => l.text);
const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);
const write = (file: string, ls: string[]) => fs.appendFileSync(file, ls.map((l) => `${l}\n`).join(''));

describe('following a file', function () {
  this.timeout(20000);
  let dir: string;
  let file: string;
  let follower: FileFollower | undefined;
  let running: Promise<void> | undefined;
  let notices: string[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-follow-'));
    file = path.join(dir, 'access.log');
    notices = [];
  });
  afterEach(async () => {
    follower?.stop();
    await running;
    follower = running = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function start(sink: LineSink, options: ConstructorParameters<typeof FileFollower>[2] = {}) {
    follower = new FileFollower(file, sink, { pollMs: 30, drainIdleMs: 300, onNotice: (n) => notices.push(n), ...options });
    running = follower.run();
  }

  it('starts at the end: only what is written from now on, in order', async () => {
    write(file, lines('old', 3));
    const sink = collector();
    start(sink);
    await new Promise((r) => setTimeout(r, 100));
    write(file, lines('new', 5));
    await until('5 lines', () => sink.got.lines.length === 5);
    assert.deepEqual(texts(sink.got), lines('new', 5));
    assert.deepEqual(sink.got.lines.map((l) => l.line), [4, 5, 6, 7, 8], 'numbered in the file');
  });

  it('a line written in two parts is handed on once it is whole', async () => {
    fs.writeFileSync(file, '');
    const sink = collector();
    start(sink);
    await new Promise((r) => setTimeout(r, 80));
    fs.appendFileSync(file, 'first half');
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(sink.got.lines.length, 0);
    fs.appendFileSync(file, ', second half\né 2\n');
    await until('2 lines', () => sink.got.lines.length === 2);
    assert.deepEqual(texts(sink.got), ['first half, second half', 'é 2']);
  });

  it('started in the middle of a line being written: that line is skipped, not read as a fragment', async () => {
    fs.writeFileSync(file, 'complete\nhalf of a li');
    const sink = collector();
    start(sink);
    await new Promise((r) => setTimeout(r, 100));
    fs.appendFileSync(file, 'ne\nnext\n');
    await until('1 line', () => sink.got.lines.length === 1);
    assert.deepEqual(texts(sink.got), ['next']);
  });

  it('rotation by rename: the old file is drained (a server still writes to it until it reopens), the new one read from its start', async () => {
    write(file, lines('before', 2));
    const sink = collector();
    start(sink);
    await new Promise((r) => setTimeout(r, 100));
    write(file, lines('a', 3));
    await until('3 lines', () => sink.got.lines.length === 3);
    fs.renameSync(file, `${file}.1`);
    write(`${file}.1`, lines('late', 2)); // the server has not reopened yet
    await new Promise((r) => setTimeout(r, 100));
    write(file, lines('b', 4)); // logrotate's create, then the server's new lines
    write(`${file}.1`, lines('later', 1));
    await until('10 lines', () => sink.got.lines.length === 10);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(sink.got.lines.length, 10, 'nothing twice');
    assert.deepEqual(texts(sink.got).filter((t) => !t.startsWith('b')), [...lines('a', 3), ...lines('late', 2), ...lines('later', 1)]);
    assert.deepEqual(texts(sink.got).filter((t) => t.startsWith('b')), lines('b', 4));
    const old = sink.got.lines.filter((l) => !l.text.startsWith('b'));
    const fresh = sink.got.lines.filter((l) => l.text.startsWith('b'));
    assert.deepEqual(old.map((l) => l.line), [3, 4, 5, 6, 7, 8], 'the old file\'s own line numbers');
    assert.deepEqual(fresh.map((l) => l.line), [1, 2, 3, 4], 'the new file from line 1');
    assert.equal(new Set(old.map((l) => l.file)).size, 1);
    assert.notEqual(old[0].file, fresh[0].file);
    assert.equal(sink.got.renamed.get(old[0].file), `${file}.1`, 'the old file\'s lines are labelled with its new name');
    assert.ok(fresh.every((l) => l.source === file));
    assert.ok(notices.some((n) => /was rotated \(the old file is now access\.log\.1\)/.test(n)), notices.join(' | '));
  });

  it('rotation by rename with a gap: the file is missing for a while, then created', async () => {
    fs.writeFileSync(file, '');
    const sink = collector();
    start(sink);
    await new Promise((r) => setTimeout(r, 100));
    write(file, lines('a', 2));
    await until('2 lines', () => sink.got.lines.length === 2);
    fs.renameSync(file, `${file}.1`);
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(notices.some((n) => /was moved to access\.log\.1; waiting for the new access\.log/.test(n)), notices.join(' | '));
    write(file, lines('b', 3));
    await until('5 lines', () => sink.got.lines.length === 5);
    assert.deepEqual(texts(sink.got), [...lines('a', 2), ...lines('b', 3)]);
  });

  it('copytruncate: the file is read again from its start', async () => {
    fs.writeFileSync(file, '');
    const sink = collector();
    start(sink);
    await new Promise((r) => setTimeout(r, 100));
    write(file, lines('a', 50));
    await until('50 lines', () => sink.got.lines.length === 50);
    fs.copyFileSync(file, `${file}.1`);
    fs.truncateSync(file, 0);
    await new Promise((r) => setTimeout(r, 150));
    write(file, lines('b', 3));
    await until('53 lines', () => sink.got.lines.length === 53);
    const fresh = sink.got.lines.slice(50);
    assert.deepEqual(fresh.map((l) => [l.text, l.line]), [['b 1', 1], ['b 2', 2], ['b 3', 3]]);
    assert.equal(sink.got.renamed.get(sink.got.lines[0].file), `${file}.1`, 'the lines before are labelled with the copy');
    assert.ok(notices.some((n) => /was truncated \(copied to access\.log\.1 first\); reading it from the start/.test(n)), notices.join(' | '));
  });

  it('copytruncate that grew back past the old position between two polls is noticed too', async () => {
    fs.writeFileSync(file, '');
    const sink = collector();
    start(sink, { pollMs: 400 });
    await new Promise((r) => setTimeout(r, 100));
    write(file, lines('a', 3));
    await until('3 lines', () => sink.got.lines.length === 3, 3000);
    // Within one poll interval: truncated, then more written than there was.
    fs.truncateSync(file, 0);
    write(file, lines('bbbbbbbbbbbbbbbbbbbb', 4));
    await until('7 lines', () => sink.got.lines.length === 7);
    assert.deepEqual(texts(sink.got).slice(3), lines('bbbbbbbbbbbbbbbbbbbb', 4), 'the new content whole, not from the middle');
  });

  it('a file that does not exist yet is waited for, then read from its start', async () => {
    const sink = collector();
    start(sink);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(notices.some((n) => /does not exist \(yet\); waiting for it/.test(n)));
    write(file, lines('a', 2));
    await until('2 lines', () => sink.got.lines.length === 2);
    assert.deepEqual(texts(sink.got), lines('a', 2));
  });

  it('--since: the rotated siblings modified since then, oldest first, gzip or not, then the file from its start', async () => {
    const now = Date.now();
    fs.writeFileSync(`${file}.3.gz`, zlib.gzipSync('too old\n'));
    fs.writeFileSync(`${file}.2.gz`, zlib.gzipSync(lines('two', 2).join('\n') + '\n'));
    fs.writeFileSync(`${file}.1`, lines('one', 2).join('\n')); // no final line break
    fs.writeFileSync(file, lines('current', 2).join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'access.log.bak'), 'not a rotation\n');
    fs.writeFileSync(path.join(dir, 'other.log.1'), 'another log\n');
    const age = (f: string, minutes: number) => fs.utimesSync(f, (now - minutes * 60_000) / 1000, (now - minutes * 60_000) / 1000);
    age(`${file}.3.gz`, 300);
    age(`${file}.2.gz`, 50);
    age(`${file}.1`, 20);
    assert.deepEqual((await rotatedSiblings(file, now - 3600_000)).map((s) => path.basename(s.path)), ['access.log.2.gz', 'access.log.1']);
    const sink = collector();
    start(sink, { sinceMs: now - 3600_000 });
    await until('6 lines', () => sink.got.lines.length === 6);
    assert.deepEqual(texts(sink.got), [...lines('two', 2), ...lines('one', 2), ...lines('current', 2)]);
    assert.deepEqual(sink.got.lines.map((l) => path.basename(l.source)), ['access.log.2.gz', 'access.log.2.gz', 'access.log.1', 'access.log.1', 'access.log', 'access.log']);
    write(file, lines('then', 1));
    await until('7 lines', () => sink.got.lines.length === 7);
  });

  it('a directory or an unreadable file is an error in a sentence', async () => {
    const sink = collector();
    await assert.rejects(new FileFollower(dir, sink).run(), /is not a file \(it is a directory\)|is a directory/);
    if (process.getuid?.() !== 0) {
      fs.writeFileSync(file, 'x\n', { mode: 0o000 });
      await assert.rejects(new FileFollower(file, sink).run(), /Cannot read .*access\.log: permission denied/);
    }
  });

  it('followStream: standard input or a command\'s output, cut anywhere, even inside a character', async () => {
    const input = new PassThrough();
    const sink = collector();
    const done = followStream(input, '-', sink);
    const bytes = Buffer.from('first line\nsécond line\nthird');
    for (let i = 0; i < bytes.length; i += 3) input.write(bytes.subarray(i, i + 3));
    input.end();
    await done;
    assert.deepEqual(sink.got.lines.map((l) => [l.source, l.line, l.text]), [['-', 1, 'first line'], ['-', 2, 'sécond line'], ['-', 3, 'third']]);
  });
});
