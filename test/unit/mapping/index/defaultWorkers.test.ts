/** The cold build's default thread count: a worker only from 3 cores up (measured in bench:index). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultWorkers } from '../../../../src/sdk/mapping/index/workspaceIndex';

test('1 thread on 1 or 2 cores, 2 threads (this one and a worker) from 3 cores', () => {
  assert.deepEqual([1, 2, 3, 4, 16].map(defaultWorkers), [1, 1, 2, 2, 2]);
});
