/**
 * The index's cheap pre-filter: most of a Rails monolith (models, services, specs) declares
 * nothing we map, and parsing costs ~2-3 MB/s in wasm, so files are skipped on a plain substring
 * test before any parsing.
 */

/**
 * Substrings one of which every mapped file contains: declarations, controller classes (also
 * unannotated ones, which inherit), Grape APIs, Sidekiq workers, EE modules prepended into them,
 * concerns whose `included do` / `prepended do` block defines routes or declarations for the
 * class that takes them in, and Grape's route descriptions (`desc '...'`), which a Grape API
 * subclassing another (`class UsageDataServicePing < UsageData`) may be the only sign of. On
 * GitLab (master 2026-02) 6 EE API modules (`ee/lib/ee/api/*.rb`), 4 route concerns (custom
 * attributes, npm, time tracking) and that subclass name nothing else; the four add ~880 files
 * of a 93,000-file checkout to the ones opened, and every file under app/, lib/, ee/app/, ee/lib/
 * that declares anything then passes (parsed one by one without the filter: docs/benchmarks.md).
 */
export const MARKERS: readonly string[] = [
  'feature_category', 'urgency', 'Controller', 'API::Base', 'Grape::API', 'Worker', 'Sidekiq::Job', 'included do', 'prepended do',
  "desc '", 'desc "',
];

const LOWER_Y = 0x79;

/**
 * The markers ending in 'y' (feature_category, urgency) are found from their last byte: one
 * memchr for 'y' and a look back at each. Searched as wholes they were the slow two of the seven
 * (lowercase letters are everywhere, so the substring search skips little): 14.6 + 27.7 ms of
 * the 81 ms the seven searches took over the benchmark's 20,000 files that fail them all, against
 * 9-15 ms for the 'y' walk ('y' is 0.3 % of those bytes; 0.65-0.8 % of real Ruby and JS, still
 * ahead). The others start with a capital, which the substring search finds fast.
 */
const Y_MARKER_STEMS = MARKERS.filter((m) => m.endsWith('y')).map((m) => Buffer.from(m.slice(0, -1), 'latin1'));
const OTHER_MARKER_BYTES = MARKERS.filter((m) => !m.endsWith('y')).map((m) => Buffer.from(m, 'latin1'));

/** True when `stem` ends right before `end` in `buf`. */
function stemBefore(buf: Uint8Array, end: number, stem: Uint8Array): boolean {
  const start = end - stem.length;
  if (start < 0) return false;
  for (let k = 0; k < stem.length; k++) if (buf[start + k] !== stem[k]) return false;
  return true;
}

function hasYMarker(buf: Buffer): boolean {
  for (let y = buf.indexOf(LOWER_Y); y !== -1; y = buf.indexOf(LOWER_Y, y + 1)) {
    for (const stem of Y_MARKER_STEMS) if (stemBefore(buf, y, stem)) return true;
  }
  return false;
}

/** False means the file cannot declare or inherit anything we map, so it is skipped without parsing. */
export function mightDeclare(text: string): boolean {
  for (const marker of MARKERS) if (text.includes(marker)) return true;
  return false;
}

/**
 * mightDeclare on the file's UTF-8 bytes, before decoding: the markers are ASCII, and an ASCII
 * byte in UTF-8 is always that character (never part of a multi-byte sequence, and the decoder
 * never swallows one into a replacement character), so the answer is the same. Searching bytes
 * is ~1.7x faster than searching the decoded string (111 vs 187 ms over the 73 MB benchmark
 * tree), and most files of a monolith fail all seven searches.
 */
export function mightDeclareBytes(buf: Buffer): boolean {
  if (hasYMarker(buf)) return true;
  for (const marker of OTHER_MARKER_BYTES) if (buf.includes(marker)) return true;
  return false;
}

const CONTROLLERS_DIR = /(?:^|\/)app\/controllers\//;
const ROUTES_FILE = /(?:^|\/)config\/routes(?:\.rb|\/.+\.rb)$/;

/**
 * Files parsed whatever their bytes: Rails routes files (which decide what a controller's actions
 * are, and hold none of the markers), and everything under app/controllers/, where a concern
 * (`IssuableActions`, no marker either) gives the controllers that include it their actions.
 * On GitLab (master 2026-02) that is 955 files, of which 166 (216 KB) pass only by their path.
 */
export function mustParse(file: string): boolean {
  return CONTROLLERS_DIR.test(file) || ROUTES_FILE.test(file);
}
