/** Messages between the workspace index and its scan workers (indexWorker.ts). */
import type { WalkedFileKind } from './fileWalker';
import type { RubyParseOutcome } from './fileScanner';

export interface WorkerInit {
  maxFileBytes: number;
}

export interface ScanItem {
  abs: string;
  file: string;
  kind: WalkedFileKind;
}

/** Files whose Ruby facts the worker extracts (parseRubyOutcome), in order. */
export interface ParseRequest {
  id: number;
  files: { file: string; text: string }[];
}

/**
 * `id: -1, ready: true` once the parser is loaded; otherwise the answer to request `id`: one
 * outcome per file, in order (the facts, or the message of the extractor's crash).
 */
export interface ParseResponse {
  id: number;
  ready?: boolean;
  outcomes?: RubyParseOutcome[];
  error?: string;
}
