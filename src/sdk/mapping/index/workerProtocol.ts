/** Messages between the workspace index and its scan workers (indexWorker.ts). */
import type { WalkedFileKind } from './fileWalker';
import type { ScannedFile } from './fileScanner';

export interface WorkerInit {
  maxFileBytes: number;
}

export interface ScanItem {
  abs: string;
  file: string;
  kind: WalkedFileKind;
}

export interface ScanRequest {
  id: number;
  items: ScanItem[];
}

/**
 * `id: -1, ready: true` once tree-sitter is loaded; otherwise the answer to request `id`: the
 * plain files of the batch (nothing declared, annotated or found: 80 % of a monolith) as three
 * numbers each in `plain` (index in the batch, bytes, line count), every other file in `results`,
 * in batch order. Structured clone costs ~4 us per object on each side; numbers cost next to
 * nothing, and the pool rebuilds the plain files from the items it sent (plainScan).
 */
export interface ScanResponse {
  id: number;
  ready?: boolean;
  results?: ScannedFile[];
  plain?: number[];
  error?: string;
}
