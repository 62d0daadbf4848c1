import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeMarkdown, inlineCode, oneLine, statusBarSafe } from '../../../src/extension/text/safeText';
import { renderMarkdown, visibleText } from '../../support/markdownRender';

describe('safeText', () => {
  test('oneLine: every kind of line break, with the blanks around it, is one space', () => {
    assert.equal(oneLine('a\n# b'), 'a # b');
    assert.equal(oneLine('a \r\n\r\n  b\u2028c\u2029d\ve\ff\u0085g'), 'a b c d e f g');
    assert.equal(oneLine('two  spaces stay'), 'two  spaces stay');
  });

  test('escapeMarkdown: every ASCII punctuation character escaped, so the text renders as typed', () => {
    assert.equal(escapeMarkdown('a_b*c'), 'a\\_b\\*c');
    assert.equal(escapeMarkdown('http://x.y'), 'http\\:\\/\\/x\\.y');
    const all = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
    assert.equal(visibleText(escapeMarkdown(all)), all);
    for (const evil of ['# h', '[x](command:y)', '![i](http://e.x/i.png)', '<b>x</b>', 'http://evil.example/x', 'www.evil.com', 'evil.com/x', 'a@evil.com', '**b**', '`c`', '> q', '1. n', '---']) {
      const html = renderMarkdown(escapeMarkdown(evil));
      assert.doesNotMatch(html, /<(a|img|b|strong|em|code|h\d|blockquote|ol|ul|hr)\b/, `${evil} -> ${html}`);
      assert.equal(visibleText(escapeMarkdown(evil)), evil);
    }
  });

  test('inlineCode: a fence longer than any backtick run inside; no autolinks in code', () => {
    assert.equal(inlineCode('GET /api/:id'), '`GET /api/:id`');
    assert.equal(inlineCode('a`b'), '``a`b``');
    assert.equal(inlineCode('`a``'), '``` `a`` ```');
    for (const id of ['a`b', '`a``', 'x` **b** `y', 'http://evil.example/x', 'a\n# H', '']) {
      const html = renderMarkdown(inlineCode(id));
      assert.match(html, /^<p><code>/, `${id} -> ${html}`);
      assert.doesNotMatch(html, /<a |<h1|<strong/);
      assert.equal(visibleText(inlineCode(id)), oneLine(id).trim() === '' ? '' : oneLine(id));
    }
  });

  test('statusBarSafe: one line, and $( escaped as VS Code reads \\$(', () => {
    assert.equal(statusBarSafe('a\n$(zap) b'), 'a \\$(zap) b');
  });
});
