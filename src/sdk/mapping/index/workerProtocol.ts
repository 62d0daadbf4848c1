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

/** `id: -1, ready: true` once tree-sitter is loaded; otherwise the answer to request `id`. */
export interface ScanResponse {
  id: number;
  ready?: boolean;
  results?: ScannedFile[];
  error?: string;
}
