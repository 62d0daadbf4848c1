/**
 * sha256 of a file's bytes, for idempotent ingest. Big files are hashed on a worker thread so
 * the hash costs no time on the thread that parses the same file (the ingest reads it twice;
 * the second read comes from the page cache). The worker is an inline script using only Node
 * built-ins, so it runs the same from sources (tsx) and from the esbuild bundle.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

export interface FileHash {
  sha256: string;
  size: number;
}

/** Below this, starting a thread costs more than hashing inline. */
const WORKER_MIN_BYTES = 8 << 20;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const hash = createHash('sha256');
let size = 0;
createReadStream(workerData, { highWaterMark: 1 << 20 })
  .on('data', (b) => { hash.update(b); size += b.length; })
  .on('error', (e) => parentPort.postMessage({ error: String((e && e.message) || e) }))
  .on('end', () => parentPort.postMessage({ sha256: hash.digest('hex'), size }));
`;

function hashOnWorker(path: string): Promise<FileHash> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: path });
    worker.once('message', (m: { sha256?: string; size?: number; error?: string }) => {
      if (m.error !== undefined || m.sha256 === undefined) reject(new Error(m.error ?? 'hash worker failed'));
      else resolve({ sha256: m.sha256, size: m.size ?? 0 });
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** Hashes `path`; `sizeHint` (bytes, e.g. from stat) picks inline or worker hashing. */
export async function fileSha256(path: string, sizeHint: number): Promise<FileHash> {
  if (sizeHint >= WORKER_MIN_BYTES) return hashOnWorker(path);
  const bytes = await readFile(path);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}
