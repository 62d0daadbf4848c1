/** The Disposable base (src/extension/disposable.ts): owned resources released once, newest first. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Disposable } from '../../../src/extension/disposable';

class Owner extends Disposable {
  constructor(readonly log: string[]) {
    super();
  }
  take(name: string): { dispose(): void } {
    return this.own({ dispose: () => this.log.push(name) });
  }
  cleanup(name: string): void {
    this.onDispose(() => this.log.push(name));
  }
  failing(): void {
    this.onDispose(() => {
      throw new Error('boom');
    });
  }
  get disposed(): boolean {
    return this.isDisposed;
  }
}

test('dispose releases what was owned, newest first, and only once', () => {
  const log: string[] = [];
  const owner = new Owner(log);
  owner.take('emitter');
  owner.take('listener');
  owner.cleanup('timer');
  assert.equal(owner.disposed, false);
  owner.dispose();
  assert.deepEqual(log, ['timer', 'listener', 'emitter']);
  assert.equal(owner.disposed, true);
  owner.dispose();
  assert.deepEqual(log, ['timer', 'listener', 'emitter']);
});

test('own returns what it takes, and after dispose disposes it at once', () => {
  const log: string[] = [];
  const owner = new Owner(log);
  const d = owner.take('first');
  assert.equal(typeof d.dispose, 'function');
  owner.dispose();
  owner.take('late');
  assert.deepEqual(log, ['first', 'late']);
});

test('one failing disposable does not keep the others from being released', () => {
  const log: string[] = [];
  const owner = new Owner(log);
  owner.take('a');
  owner.cleanup('b');
  owner.failing();
  assert.throws(() => owner.dispose(), /boom/);
  assert.deepEqual(log, ['b', 'a']);
});
