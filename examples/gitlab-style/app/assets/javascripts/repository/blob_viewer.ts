// Mapped to source_code_management by the path rule in .budgetlens.yml (app/assets/javascripts/repository/**).
import axios from '~/lib/utils/axios_utils';

export interface BlobInfo {
  path: string;
  size: number;
  rawTextBlob: string | null;
  language: string | null;
}

export async function fetchBlob(projectPath: string, ref: string, path: string): Promise<BlobInfo> {
  const url = `/${projectPath}/-/blob/${encodeURIComponent(ref)}/${path}`;
  const { data } = await axios.get<BlobInfo>(url, { params: { format: 'json', viewer: 'simple' } });
  return data;
}

export function isTooLargeToRender(blob: BlobInfo, limitBytes = 1024 * 1024): boolean {
  return blob.size > limitBytes;
}
