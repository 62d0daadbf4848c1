/**
 * The scanner's cheap text checks: the annotation marker search (one '@' search and a look at
 * what follows) must find exactly the three markers, wherever they sit among other '@'s.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hasAnnotationMarker, scanText } from '../../../../src/sdk/mapping/index/fileScanner';

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
