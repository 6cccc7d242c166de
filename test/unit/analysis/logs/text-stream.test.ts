import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Progress } from '../../../../bin/commands/progress.js';
import { ChunkedOutput, forEachLine } from '../../../../bin/commands/text-stream.js';

async function readlineLines(path: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    lines.push(line);
  }
  return lines;
}

describe('forEachLine', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aiops-lines-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['LF', 'a\nbb\nccc\n'],
    ['CRLF without an end on the last line', 'a\r\nbb\r\nccc'],
    ['lone CR and blank lines', 'a\rb\r\rc\n\nd\r'],
    ['a CR as the last byte after a line', 'x\n\r'],
    ['mixed ends and multi-byte characters', 'é€\r\n😀 fin\rzürich\nµs\r\n\r\n'],
    ['only a line end', '\n'],
    ['nothing', ''],
  ])('splits %s as readline does, whatever the chunk size', async (_, text) => {
    // Prepare
    const path = join(dir, 'lines.txt');
    await writeFile(path, text);
    const expected = await readlineLines(path);

    for (const chunkSize of [1, 2, 3, 5, 64 * 1024]) {
      // Act
      const lines: string[] = [];
      const count = await forEachLine(path, (line) => lines.push(line), { chunkSize });

      // Assess
      expect({ chunkSize, lines }).toEqual({ chunkSize, lines: expected });
      expect(count).toBe(expected.length);
    }
  });

  it('runs afterChunk once per chunk read, after that chunk’s lines', async () => {
    // Prepare
    const path = join(dir, 'chunks.txt');
    await writeFile(path, 'one\ntwo\nthree\n');
    const seen: string[] = [];

    // Act
    await forEachLine(path, (line) => seen.push(line), {
      chunkSize: 8,
      afterChunk: () => void seen.push('|'),
    });

    // Assess
    expect(seen).toEqual(['one', 'two', '|', 'three', '|']);
  });
});

describe('ChunkedOutput', () => {
  it('writes nothing until the pending text reaches the threshold, then all of it at once', async () => {
    // Prepare
    const sink = new PassThrough();
    const writes: string[] = [];
    sink.on('data', (chunk: Buffer) => writes.push(chunk.toString()));
    const out = new ChunkedOutput(sink);

    // Act
    out.push('1,a\n');
    out.push('2,b\n');
    await out.flush(16);
    const early = writes.length;
    out.push('3,c\n');
    await out.flush(0);

    // Assess
    expect(early).toBe(0);
    expect(writes).toEqual(['1,a\n2,b\n3,c\n']);
  });
});

describe('Progress', () => {
  const stream = (isTTY: boolean) => {
    const written: string[] = [];
    return { isTTY, written, write: (text: string) => written.push(text) };
  };

  it('closes with lines, seconds and lines/s when asked for, one line per report off a terminal', () => {
    // Prepare
    const err = stream(false);
    const progress = new Progress('logs templates', true, err);

    // Act
    progress.update(1234);
    progress.done(1_234_567);

    // Assess
    expect(err.written).toHaveLength(1);
    expect(err.written[0]).toMatch(/^logs templates: 1,234,567 lines in \d+\.\d s, [\d,]+ lines\/s\n$/);
  });

  it('stays quiet by itself on a short run, even on a terminal, and when told not to', () => {
    // Prepare
    const tty = stream(true);
    const told = stream(true);

    // Act
    const auto = new Progress('logs templates', undefined, tty);
    auto.update(10);
    auto.done(10);
    const off = new Progress('logs templates', false, told);
    off.update(5_000_000);
    off.done(5_000_000);

    // Assess
    expect(tty.written).toEqual([]);
    expect(told.written).toEqual([]);
  });
});
