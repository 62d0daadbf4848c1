import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileSha256 } from '../../../src/sdk/store/fileHash';
import { forEachLine, isGzipFile } from '../../../src/sdk/store/lineReader';
import { aggregateLogFile } from '../../../src/sdk/store/logIngest';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'bl-logfile-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const LINES = [
  '{"time":"2024-03-05T10:15:00Z","controller":"A","action":"b","status":200,"duration_s":0.5,"meta.feature_category":"wiki"}',
  '{"time":"2024-03-05T10:59:59.999Z","controller":"A","action":"b","status":500,"duration_s":0.1,"meta.feature_category":"wiki"}',
  'not json at all',
  '',
  '{"time":"2024-03-05T11:00:00Z","controller":"A","action":"b","status":200,"duration_s":1,"meta.feature_category":"wiki"}',
  '{"time":"2024-03-05T11:00:00Z","class":"W","job_status":"start","meta.feature_category":"wiki"}',
  '{"time":"bad","controller":"A","action":"b","status":200,"duration_s":0.2}',
  '{"time":"2024-03-05T11:30:00Z","class":"W","job_status":"fail","duration_s":3,"meta.feature_category":"wiki"}',
];
const TEXT = `${LINES.join('\n')}\n`;

describe('forEachLine', () => {
  test('plain and gzip give the same lines; gzip detected by magic bytes, not the name', async () => {
    const plain = join(dir, 'plain.log.gz'); // misleading name on purpose
    const gz = join(dir, 'compressed.log');
    writeFileSync(plain, TEXT);
    writeFileSync(gz, gzipSync(TEXT));
    assert.equal(await isGzipFile(plain), false);
    assert.equal(await isGzipFile(gz), true);
    const a: string[] = [];
    const b: string[] = [];
    const ra = await forEachLine(plain, (l) => a.push(l));
    const rb = await forEachLine(gz, (l) => b.push(l));
    assert.deepEqual(a, LINES);
    assert.deepEqual(b, LINES);
    assert.equal(ra.lines, 8);
    assert.equal(rb.gzip, true);
    // Sizes are of the bytes as stored.
    assert.equal(rb.size, readFileSync(gz).length);
    assert.equal(ra.size, Buffer.byteLength(TEXT));
  });

  test('CRLF, no final newline, multi-byte chars across chunk borders', async () => {
    const f = join(dir, 'crlf.log');
    // A 3-byte char repeated so it straddles the 1 MiB chunk border somewhere.
    const long = '€'.repeat(400_000);
    writeFileSync(f, `a\r\n${long}\r\nlast`);
    const got: Array<[string, number]> = [];
    await forEachLine(f, (l, n) => got.push([l, n]));
    assert.deepEqual(got.map(([l, n]) => [l.length, n]), [
      [1, 1],
      [400_000, 2],
      [4, 3],
    ]);
    assert.equal(got[1]?.[0], long);
  });

  test('an overlong line is skipped and reported, the lines around it keep their numbers', async () => {
    const f = join(dir, 'overlong.log');
    // 5 Mi characters without a newline (above MAX_LINE_CHARS = 4 Mi), between two short lines,
    // then one more overlong line that ends the file without a newline.
    writeFileSync(f, `first\n${'x'.repeat(5 << 20)}\nthird\n${'y'.repeat(5 << 20)}`);
    const got: Array<[string, number]> = [];
    const overlong: number[] = [];
    const r = await forEachLine(f, (l, n) => got.push([l, n]), (n) => overlong.push(n));
    assert.deepEqual(got, [
      ['first', 1],
      ['third', 3],
    ]);
    assert.deepEqual(overlong, [2, 4]);
    assert.equal(r.lines, 4);
  });

  test('a UTF-8 byte order mark before the first line is dropped', async () => {
    const f = join(dir, 'bom.log');
    writeFileSync(f, `\uFEFF${LINES[0]}\n`);
    const got: string[] = [];
    await forEachLine(f, (l) => got.push(l));
    assert.deepEqual(got, [LINES[0]]);
  });

  test('a corrupt gzip file rejects', async () => {
    const f = join(dir, 'corrupt.gz');
    const gz = gzipSync(TEXT);
    writeFileSync(f, Buffer.concat([gz.subarray(0, 20), Buffer.from('garbage garbage garbage')]));
    await assert.rejects(forEachLine(f, () => undefined));
  });

  test('a missing file rejects', async () => {
    await assert.rejects(forEachLine(join(dir, 'nope.log'), () => undefined), /ENOENT/);
  });
});

describe('fileSha256', () => {
  test('inline (small) and worker-thread (big) hashing give the sha256 of the stored bytes', async () => {
    const small = join(dir, 'small.bin');
    writeFileSync(small, gzipSync(TEXT));
    const big = join(dir, 'big.bin');
    // 9 MiB of varied bytes: above the 8 MiB worker threshold.
    const bytes = Buffer.alloc(9 << 20);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 11)) & 0xff;
    writeFileSync(big, bytes);
    const s = await fileSha256(small, 10);
    assert.equal(s.sha256, createHash('sha256').update(readFileSync(small)).digest('hex'));
    const b = await fileSha256(big, bytes.length);
    assert.equal(b.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(b.size, bytes.length);
  });

  test('a missing file rejects on either path', async () => {
    await assert.rejects(fileSha256(join(dir, 'nope'), 0), /ENOENT/);
    await assert.rejects(fileSha256(join(dir, 'nope'), 100 << 20), /ENOENT/);
  });
});

describe('aggregateLogFile', () => {
  test('counts, malformed line numbers, hour bucketing', async () => {
    const f = join(dir, 'mixed.log');
    writeFileSync(f, gzipSync(TEXT));
    const { report, agg } = await aggregateLogFile(f, { maxListed: 10 });
    // The source's prefix hash: sha256 of the decompressed complete lines (TEXT ends with a newline).
    assert.equal(report.sha256, createHash('sha256').update(TEXT).digest('hex'));
    assert.equal(report.consumed, Buffer.byteLength(TEXT));
    assert.equal(report.gzip, true);
    assert.equal(report.lines, 8);
    // accepted: lines 1, 2, 5, 8; ignored: blank line 4, sidekiq start line 6; malformed: 3, 7.
    assert.equal(report.accepted, 4);
    assert.equal(report.ignored, 2);
    assert.equal(report.malformed, 2);
    assert.deepEqual(report.malformedLines.map((m) => m.line), [3, 7]);
    assert.equal(report.malformedLines[0]?.reason, 'invalid JSON');
    assert.match(report.malformedLines[1]?.reason ?? '', /time/);
    assert.equal(report.firstHour, '2024-03-05T10:00:00.000Z');
    assert.equal(report.lastHour, '2024-03-05T11:00:00.000Z');
    const eps = [...agg.endpoints()];
    const a = eps.find((e) => e.key.endpointId === 'A#b');
    const w = eps.find((e) => e.key.endpointId === 'W');
    // Hour 10: line 1 (0.5 s < 1 s: success) and line 2 (500: error). Hour 11: line 5 (1 s: not a success).
    assert.deepEqual(a?.hours.get(474898), { s: 1, w: 1, o: 2, e: 1 });
    assert.deepEqual(a?.hours.get(474899), { s: 0, w: 1, o: 1, e: 0 });
    assert.deepEqual(w?.hours.get(474899), { s: 0, w: 0, o: 1, e: 1 });
    assert.equal(w?.key.component, 'sidekiq_execution');
    assert.equal(agg.rowCount, 3);
  });

  test('an overlong line is one malformed line with its number', async () => {
    const f = join(dir, 'overlong-ingest.log');
    writeFileSync(f, `${LINES[0]}\n${'{"a":"'.padEnd(5 << 20, 'z')}"}\n${LINES[4]}\n`);
    const { report } = await aggregateLogFile(f, { maxListed: 10 });
    assert.equal(report.accepted, 2);
    assert.equal(report.malformed, 1);
    assert.equal(report.malformedLines[0]?.line, 2);
    assert.match(report.malformedLines[0]?.reason ?? '', /longer than 4194304 characters/);
  });

  test('lists only the first N malformed lines but counts all', async () => {
    const f = join(dir, 'bad.log');
    writeFileSync(f, `${Array.from({ length: 25 }, (_, i) => (i % 2 === 0 ? '{' : '[]')).join('\n')}\n`);
    const { report } = await aggregateLogFile(f, { maxListed: 5 });
    assert.equal(report.malformed, 25);
    assert.deepEqual(report.malformedLines.map((m) => m.line), [1, 2, 3, 4, 5]);
    assert.equal(report.accepted, 0);
  });
});
