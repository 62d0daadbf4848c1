/**
 * The scanner's cheap text checks: the annotation marker search (one '@' search and a look at
 * what follows) must find exactly the three markers, wherever they sit among other '@'s. The byte
 * versions (run on files that are never decoded) give the string versions' answers on any bytes.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  countLines,
  countLinesBytes,
  hasAnnotationMarker,
  hasAnnotationMarkerBytes,
  scanBuffer,
  scanText,
} from '../../../../src/sdk/mapping/index/fileScanner';
import { initRubyParser } from '../../../../src/sdk/mapping/ruby/index';

describe('hasAnnotationMarker', () => {
  test('finds each of the three markers after many instance variables', () => {
    const ivars = '@project = @repository.project\n'.repeat(200);
    assert.equal(hasAnnotationMarker(`${ivars}# @feature_category wiki\n`), true);
    assert.equal(hasAnnotationMarker(`${ivars}# @urgency high\n`), true);
    assert.equal(hasAnnotationMarker(`${ivars}// @endpoint "GET /x"\n`), true);
  });

  test('near misses and a trailing @ are not markers', () => {
    assert.equal(hasAnnotationMarker('@feature = 1\n@urgent = 2\n@end_point = 3\nemail@'), false);
    assert.equal(hasAnnotationMarker('feature_category :wiki # urgency endpoint, no at sign'), false);
    assert.equal(hasAnnotationMarker(''), false);
  });

  test('scanText keeps the text of an annotated file only', () => {
    assert.equal(scanText('a.ts', 'source', '// @feature_category wiki\nexport {};\n').text, '// @feature_category wiki\nexport {};\n');
    assert.equal(scanText('b.ts', 'source', 'const x = obj.@y;\n').text, undefined);
  });
});

/** Tricky inputs, as bytes: each is decoded the way scanBuffer decodes before comparing. */
const TRICKY: Record<string, Buffer> = {
  empty: Buffer.alloc(0),
  'one newline': Buffer.from('\n'),
  'no trailing newline': Buffer.from('a\nb'),
  'trailing newline': Buffer.from('a\nb\n'),
  'blank lines at the end': Buffer.from('a\n\n\n'),
  'CRLF': Buffer.from('a\r\nb\r\n'),
  'lone CR': Buffer.from('a\rb'),
  'multi-byte UTF-8': Buffer.from('# é € 😀\nx = "日本"\n# @feature_category wiki'),
  // 0xE2 0x82 starts a 3-byte sequence the newline cuts short: U+FFFD, then the newline.
  'truncated sequence before a newline': Buffer.from([0x61, 0xe2, 0x82, 0x0a, 0x62]),
  'truncated sequence at the end': Buffer.from([0x61, 0x0a, 0xe2, 0x82]),
  'stray continuation byte before a marker': Buffer.from([0x80, ...Buffer.from('@urgency high\n')]),
  'marker split by an invalid byte': Buffer.from([...Buffer.from('@feature_'), 0xff, ...Buffer.from('category\n')]),
  'marker cut at the end': Buffer.from('x @feature_categor'),
  'marker at the very end': Buffer.from('x @endpoint'),
  'at sign at the end': Buffer.from('email@'),
  'double at sign': Buffer.from('@@urgency'),
  'capitalised near miss': Buffer.from('@Feature_category @URGENCY @Endpoint'),
  'full-width at sign (not ASCII)': Buffer.from('＠feature_category'),
};

describe('byte versions of the line count and the marker check', () => {
  before(initRubyParser); // the .rb inputs with a marker are parsed
  for (const [name, bytes] of Object.entries(TRICKY)) {
    test(name, () => {
      const text = bytes.toString('utf8');
      assert.equal(countLinesBytes(bytes), countLines(text));
      assert.equal(hasAnnotationMarkerBytes(bytes), hasAnnotationMarker(text));
    });
  }

  test('the expected answers, counted by hand', () => {
    // '' 0 lines; 'a\nb' 2; 'a\nb\n' 2; 'a\n\n\n' 3; 'a\r\nb\r\n' 2; 'a\rb' 1 (a lone CR is no newline).
    const lines = ['empty', 'no trailing newline', 'trailing newline', 'blank lines at the end', 'CRLF', 'lone CR'].map((n) => countLinesBytes(TRICKY[n]!));
    assert.deepEqual(lines, [0, 2, 2, 3, 2, 1]);
    // 'a', U+FFFD, '\n', 'b': 2 lines; 'a', '\n', U+FFFD: 2 lines (the file does not end in a newline).
    assert.equal(countLinesBytes(TRICKY['truncated sequence before a newline']!), 2);
    assert.equal(countLinesBytes(TRICKY['truncated sequence at the end']!), 2);
    const markers = Object.entries(TRICKY).filter(([, b]) => hasAnnotationMarkerBytes(b)).map(([n]) => n);
    assert.deepEqual(markers, ['multi-byte UTF-8', 'stray continuation byte before a marker', 'marker at the very end', 'double at sign']);
  });

  test('a view into a larger buffer (as scanFile reads) is searched within its bounds only', () => {
    const big = Buffer.from('@urgency\nabc\n@endpoint\n');
    const view = big.subarray(9, 13); // 'abc\n'
    assert.equal(countLinesBytes(view), 1);
    assert.equal(hasAnnotationMarkerBytes(view), false);
  });

  test('scanBuffer answers a plain file from its bytes as scanText does from its text', () => {
    for (const [name, bytes] of Object.entries(TRICKY)) {
      for (const file of ['app/models/x.rb', 'web/x.ts']) {
        assert.deepEqual(scanBuffer(file, 'source', bytes), scanText(file, 'source', bytes.toString('utf8'), bytes.length), `${name} in ${file}`);
      }
    }
  });
});

describe('binary sniff', () => {
  test('a NUL in the first 8 KB makes the file binary; one after it does not', () => {
    const at = (offset: number): Buffer => {
      const buf = Buffer.alloc(10_000, 'a');
      buf[offset] = 0;
      return buf;
    };
    // Offsets 0 and 8191 are inside the first 8,192 bytes; 8192 is the first byte after them.
    assert.equal(scanBuffer('x.ts', 'source', at(0)).skipped, true);
    assert.equal(scanBuffer('x.ts', 'source', at(8191)).skipped, true);
    const after = scanBuffer('x.ts', 'source', at(8192));
    assert.equal(after.skipped, false);
    assert.equal(after.lineCount, 1); // no newline in 10,000 bytes: one line
  });
});
