/** mightDeclare: the substring pre-filter that lets the index skip files without parsing them. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { mightDeclare } from '../../../../src/sdk/mapping/ruby';
import { mightDeclareBytes } from '../../../../src/sdk/mapping/ruby/prefilter';
import { FIXTURES } from './fixtureWorkspace';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

describe('mightDeclare', () => {
  test('every Ruby fixture (controllers, APIs, workers, EE modules, unannotated controllers) passes', () => {
    const rb = files(FIXTURES).filter((f) => f.endsWith('.rb'));
    assert.ok(rb.length >= 20);
    for (const f of rb) assert.equal(mightDeclare(readFileSync(f, 'utf8')), true, f);
  });

  test('models, services and specs without any marker are skipped', () => {
    assert.equal(mightDeclare('class Issue < ApplicationRecord\n  belongs_to :project\nend\n'), false);
    assert.equal(mightDeclare('module Issues\n  class CreateService < BaseService\n    def execute; end\n  end\nend\n'), false);
    assert.equal(mightDeclare(''), false);
  });

  test('each kind of marker alone is enough', () => {
    for (const text of [
      'feature_category :wiki',
      'urgency :low',
      'class FooController < Bar; end',
      'class Tags < ::API::Base; end',
      'class Ping < Grape::API; end',
      'include ApplicationWorker',
      'include Sidekiq::Job',
      // an EE API module or a route concern: module API ... prepended do / included do ... get ... end
      'module EE\n  module API\n    module Todos\n      prepended do\n        post \':id/todo\' do\n',
      'module API\n  module TimeTrackingEndpoints\n    included do\n',
      // a Grape API subclassing another, known only by its route descriptions
      "class UsageDataServicePing < UsageData\n  desc 'Get the payload' do\n",
      'class Ping < Base\n  desc "Ping" do\n',
    ]) {
      assert.equal(mightDeclare(text), true, text);
    }
  });
});

describe('mightDeclareBytes (the same test on undecoded UTF-8)', () => {
  test('agrees with mightDeclare on every fixture file', () => {
    const all = files(FIXTURES);
    assert.ok(all.length >= 20);
    for (const f of all) {
      const bytes = readFileSync(f);
      assert.equal(mightDeclareBytes(bytes), mightDeclare(bytes.toString('utf8')), f);
    }
  });

  test('non-ASCII text and invalid UTF-8 around a marker give the same answer as the decoded text', () => {
    const cases = [
      Buffer.from('# Schöne Grüße\nclass ÜberController < ApplicationController; end\n'),
      // A lone lead byte before the marker: the decoder emits U+FFFD and keeps the 'C'.
      Buffer.concat([Buffer.from([0xc3]), Buffer.from('Controller')]),
      Buffer.concat([Buffer.from('feature_'), Buffer.from([0xe2, 0x82]), Buffer.from('category')]),
      Buffer.from('class Issue < ApplicationRecord # naïve\nend\n'),
    ];
    for (const bytes of cases) assert.equal(mightDeclareBytes(bytes), mightDeclare(bytes.toString('utf8')), bytes.toString('utf8'));
    assert.deepEqual(cases.map(mightDeclareBytes), [true, true, false, false]);
  });

  test('markers ending in y (found from their y) at the edges of the buffer, and near misses', () => {
    const cases: [string, boolean][] = [
      ['urgency', true], // the stem starts at byte 0
      ['feature_category', true],
      ['x = 1 # urgency', true], // the y is the last byte
      ['rgency feature_categor y', false], // stems cut short or split from their y
      ['yyyy urgenc y urgen cy', false],
      ['URGENCY Feature_category', false],
      ['ürgency', false], // ü is two bytes: no 'u' before 'rgency'
      ['ÿ urgency', true], // ÿ (0xC3 0xBF) holds no 0x79 byte; the real y still counts
      ['any key by query policy', false], // many y's, no marker
      ['', false],
    ];
    for (const [text, expected] of cases) {
      const bytes = Buffer.from(text);
      assert.equal(mightDeclareBytes(bytes), expected, text);
      assert.equal(mightDeclare(text), expected, text);
    }
    // A view into a larger buffer: the stem before the view's start does not count.
    const view = Buffer.from('urgency').subarray(6); // 'y'
    assert.equal(mightDeclareBytes(view), false);
  });
});
