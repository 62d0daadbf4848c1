/** Messages between the workspace index and its scan workers (indexWorker.ts). */
import type { WalkedFileKind } from './fileWalker';
import type { RubyParseOutcome, ScannedFile } from './fileScanner';
import type { TreeScan, TreeScanOptions } from './treeScan';

export interface WorkerInit {
  maxFileBytes: number;
  /** WorkspaceIndexOptions.fullRead: no pre-filter, no skeleton. */
  fullRead?: boolean;
  /** Set: the worker walks and scans this tree itself and answers with one TreeScan (treeScan.ts). */
  tree?: TreeScanOptions;
}

/** From a tree-scan worker (scanTreeInThread): progress as it goes, then the result or the error. */
export interface TreeScanMessage {
  progress?: [scanned: number, total: number];
  result?: TreeScan;
  error?: string;
}

export interface ScanItem {
  abs: string;
  file: string;
  kind: WalkedFileKind;
}

/**
 * Work for a worker: `files`, texts the main thread read whose Ruby facts the worker extracts
 * (parseRubyOutcome), or `read`, files the worker reads and scans itself, extracting where needed.
 */
export interface ParseRequest {
  id: number;
  files?: { file: string; text: string }[];
  read?: ScanItem[];
}

/**
 * `id: -1, ready: true` once the worker listens; otherwise the answer to request `id`. For
 * `files`: one outcome per file, in order (the facts, or the message of the extractor's crash).
 * For `read`: `plain` holds [position in the batch, bytes, lineCount] for every file that
 * neither declares nor annotates (plainScan), `scans` the other files' scans with their position.
 */
export interface ParseResponse {
  id: number;
  ready?: boolean;
  outcomes?: RubyParseOutcome[];
  plain?: number[];
  scans?: { at: number; scan: ScannedFile }[];
  error?: string;
}
