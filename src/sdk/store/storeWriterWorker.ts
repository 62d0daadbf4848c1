/**
 * Worker-thread entry of the store writer (storeWriter.ts): runs an AggregateSink on its own
 * SQLite connection and answers the main thread's requests in order. A failed `write` is kept
 * and reported by the next `commit`, which then rolls the file back.
 * Bundles must emit this file as storeWriterWorker.js next to the bundle that imports the store.
 */
import { parentPort } from 'node:worker_threads';
import { AggregateSink } from './aggregateWriter';
import { openStoreDatabase } from './storeSchema';
import { describeStoreFailure } from './storeErrors';
import type { StoreDatabase } from './storeSchema';
import type { WriterReply, WriterRequest } from './storeWriter';

let db: StoreDatabase | undefined;
let sink: AggregateSink | undefined;
let writeFailure: string | undefined;
let openFailure: string | undefined;
let storePath = '';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A write's failure in words (disk full, read-only...): the error's code does not cross the thread. */
function writeMessage(e: unknown): string {
  return describeStoreFailure(e, storePath, 'writing');
}

function handle(req: WriterRequest): WriterReply | undefined {
  switch (req.type) {
    case 'open':
      storePath = req.path;
      try {
        db = openStoreDatabase(req.path);
        sink = new AggregateSink(db);
      } catch (e) {
        openFailure = message(e);
        throw e;
      }
      return { seq: req.seq, ok: true };
    case 'begin':
      writeFailure = undefined;
      // The open is not awaited by the main thread: its failure is every begin's answer.
      if (!sink) return { seq: req.seq, ok: false, error: openFailure ?? 'store writer not open' };
      try {
        sink.begin();
      } catch (e) {
        return { seq: req.seq, ok: false, error: writeMessage(e) };
      }
      return { seq: req.seq, ok: true };
    case 'write':
      if (writeFailure === undefined) {
        try {
          sink?.write(req.chunk);
        } catch (e) {
          writeFailure = writeMessage(e);
        }
      }
      return undefined;
    case 'commit':
      if (writeFailure !== undefined) {
        sink?.rollback();
        return { seq: req.seq, ok: false, error: writeFailure };
      }
      if (!sink) return { seq: req.seq, ok: false, error: 'store writer not open' };
      return { seq: req.seq, ok: true, outcome: sink.commit(req.file, req.ingestedAt) };
    case 'rollback':
      sink?.rollback();
      return { seq: req.seq, ok: true };
    case 'close':
      sink?.rollback();
      db?.close();
      return { seq: req.seq, ok: true };
  }
}

parentPort?.on('message', (req: WriterRequest) => {
  let reply: WriterReply | undefined;
  try {
    reply = handle(req);
  } catch (e) {
    if (req.type === 'commit') sink?.rollback();
    reply = { seq: req.seq, ok: false, error: req.type === 'commit' ? writeMessage(e) : message(e) };
  }
  if (reply) parentPort?.postMessage(reply);
});
