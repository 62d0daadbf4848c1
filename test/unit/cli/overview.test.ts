/** The CLI's first screen: which endpoints it names as a group's offenders. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failingOnly } from '../../../src/cli/commands/overview';

test('an endpoint with no failure is not an offender, whatever its rank; the order is kept', () => {
  const rows = [
    { endpointId: 'A', failures: 590 },
    { endpointId: 'B', failures: 99 },
    { endpointId: 'C', failures: 0 },
  ];
  assert.deepEqual(failingOnly(rows).map((r) => r.endpointId), ['A', 'B']);
  assert.deepEqual(failingOnly([{ endpointId: 'C', failures: 0 }]), []);
});
