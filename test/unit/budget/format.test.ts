/** Display formatting: rounding happens here only. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAvailability, formatCount, formatFactor, formatMinutes, formatPercent } from '../../../src/sdk/budget/format';

test('minutes with two decimals; null is "no data"', () => {
  assert.equal(formatMinutes(20.16), '20.16 min');
  assert.equal(formatMinutes(-10.08), '-10.08 min');
  assert.equal(formatMinutes(20.15999999999778), '20.16 min');
  assert.equal(formatMinutes(1.005), '1.01 min', 'half-up on the decimal, not toFixed\'s 1.00');
  assert.equal(formatMinutes(-0.001), '0.00 min');
  assert.equal(formatMinutes(null), 'no data');
});

test('availability never rounds up to a met target or 100 %', () => {
  assert.equal(formatAvailability(0.99925), '99.925 %');
  assert.equal(formatAvailability(0.9994999), '99.949 %');
  assert.equal(formatAvailability(0.9999999), '99.999 %');
  assert.equal(formatAvailability(1), '100.000 %');
  assert.equal(formatAvailability(null), 'no data');
});

test('percent, factor and counts', () => {
  assert.equal(formatPercent(0.0001), '0.01 %');
  assert.equal(formatPercent(-0.5), '-50.00 %');
  assert.equal(formatPercent(null), 'no data');
  assert.equal(formatFactor(14 / 15), '0.93x');
  assert.equal(formatFactor(14.4), '14.40x');
  assert.equal(formatCount(20000), '20,000');
  assert.equal(formatCount(1234.567), '1,234.57');
});
