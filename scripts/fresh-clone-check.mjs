// The fresh-clone check: does HEAD stand on its own, as a new user's clone would?
//  1. clones HEAD into <tmp>/bl-fresh-XXXX/budget-lens, with nothing beside it (so a path that
//     climbs out of the clone, like a folder next to it, does not exist there);
//  2. `npm ci --prefer-offline` (the local npm cache is fine);
//  3. `npm start` (PORT=0) until /healthz answers and its first screen names the over-budget
//     group; then SIGINT, and no process of it may be left;
//  4. `npm run test:unit`.
// With strace on PATH (Debian's `strace`), every step runs under `strace -f` on the file syscalls
// and the check fails if any process touched a path outside the clone: anything under the folder
// that holds the repository being checked (its siblings, the repository itself) or beside the
// clone (module-resolution probes for node_modules/package.json above the clone excepted: they
// find nothing there, by construction). The npm cache, the Node install and system folders are
// outside those roots. Without strace, only the empty surroundings check it (say so).
// Prints each step's time. Exit 0 when everything passed.
//
// Usage: node scripts/fresh-clone-check.mjs [--keep] [--no-strace] | --recheck <kept traces dir>
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

const SOURCE = resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const useStrace = !process.argv.includes('--no-strace') && spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;

// --recheck <dir>-traces: analyse the traces a --keep run left, without running anything.
const recheck = process.argv.includes('--recheck') ? resolve(process.argv[process.argv.indexOf('--recheck') + 1]) : undefined;
const parent = recheck ? recheck.replace(/-traces$/, '') : mkdtempSync(join(tmpdir(), 'bl-fresh-'));
const clone = join(parent, 'budget-lens');
const traces = recheck ?? join(tmpdir(), `${parent.split(sep).pop()}-traces`);
const timings = [];
const problems = [];
let current;

function log(line) {
  console.log(`[fresh-clone] ${line}`);
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Our environment as a new user's shell in the clone would have it: without what npm sets for the
 * script running this check (npm_config_local_prefix, npm_package_json, INIT_CWD: all the source
 * repository; the PATH entries it prepends, `<source>/node_modules/.bin` and one per folder above
 * it, where every command lookup of the clone's npm would otherwise probe first) and with PWD the
 * clone (shells stat $PWD and $OLDPWD).
 */
function cleanEnv() {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD' && k !== 'OLDPWD'));
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  env[pathKey] = outsidePathEntries(env[pathKey] ?? '').join(delimiter);
  return { ...env, PWD: clone };
}

/** PATH entries a new user would have: none under the source repository's folder or any `node_modules/.bin` above it. */
function outsidePathEntries(path) {
  const sourceAncestors = (dir) => dir === SOURCE || inside(SOURCE, dir);
  return path
    .split(delimiter)
    .filter((d) => d !== '' && !forbiddenRoots.some((root) => inside(d, root)))
    .filter((d) => !(d.endsWith(`${sep}node_modules${sep}.bin`) && sourceAncestors(dirname(dirname(d)))));
}

/** Runs `command args` in the clone (under strace when available); resolves with its exit code. */
function run(name, command, args, { env = {}, onOutput } = {}) {
  const traceFile = join(traces, `${name}.trace`);
  const argv = useStrace
    ? ['strace', '-f', '--seccomp-bpf', '-qq', '-y', '-e', 'trace=%file,%process,chdir,fchdir', '-o', traceFile, command, ...args]
    : [command, ...args];
  log(`$ ${command} ${args.join(' ')}`);
  const started = Date.now();
  const child = spawn(argv[0], argv.slice(1), {
    cwd: clone,
    env: { ...cleanEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  current = child;
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text) => {
      process.stdout.write(text.replace(/^(?=.)/gm, `  ${name}| `));
      onOutput?.(text, child);
    });
  }
  return new Promise((ok) =>
    child.on('exit', (code, signal) => {
      current = undefined;
      timings.push([name, Date.now() - started]);
      if (useStrace) checkTrace(name, traceFile);
      ok({ code, signal, pgid: child.pid });
    }),
  );
}

/** Pids of a process group still alive. */
function processGroup(pgid) {
  return execFileSync('ps', ['-eo', 'pid=,pgid='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter(([, g]) => g === pgid)
    .map(([p]) => p);
}

// ---- strace: which paths did the step's processes touch? ----

const inside = (p, dir) => p === dir || p.startsWith(dir + sep);
/** Folders whose contents are outside the clone and must not be touched. */
const forbiddenRoots = [dirname(SOURCE), parent].filter((d) => d !== sep && d !== tmpdir());

/** True for `path` on the way from / to the clone (stat-ing those is how any path in it resolves). */
const ancestorOfClone = (path) => path === sep || inside(clone, path);

/**
 * True for a path the clone may not touch. Allowed above the clone (where nothing exists, by
 * construction): the folders on its path, and the lookups that climb the tree and find nothing —
 * node_modules (module resolution, npm's PATH), a package.json or tsconfig.json, a dotfile or
 * dot-folder (.npmrc, .prebuild-installrc, .python-version, ripgrep's .git/info/exclude...).
 * Anything else there (a folder next to the clone, a file under one) counts, found or not.
 */
function outsideClone(path, failed) {
  if (inside(path, clone)) return false;
  if (!forbiddenRoots.some((root) => inside(path, root))) return false;
  if (ancestorOfClone(path)) return false;
  if (failed && inside(path, parent)) {
    const rel = relative(parent, path).split(sep);
    if (rel[0] === 'node_modules') return false;
    if (rel[0].startsWith('.') || (rel.length === 1 && /^(package|tsconfig|jsconfig)\.json$/.test(rel[0]))) return false;
  }
  return true;
}

/** The strings a syscall names files with: [dir fd's path or undefined, path] pairs. */
function pathArgs(syscall, rest) {
  const strings = [...rest.matchAll(/(?:(?:AT_FDCWD|\d+)(?:<([^>]*)>)?, )?"((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]);
  // symlink(target, linkpath), symlinkat(target, dirfd, linkpath): the target is the link's text, not a path touched.
  if (syscall === 'symlink' || syscall === 'symlinkat') return strings.slice(1, 2);
  if (syscall === 'execve' || syscall === 'execveat') return strings.slice(0, 1);
  if (/^(rename|link)/.test(syscall)) return strings.slice(0, 2);
  return strings.slice(0, 1);
}

/**
 * Reads an strace -f -y log: follows each process's working directory (inherited at fork,
 * changed by chdir/fchdir) to resolve relative paths, and records every path argument of a file
 * syscall that is outside the clone.
 */
function checkTrace(step, file) {
  // A syscall interrupted by another process's is split in two: `pid call(args <unfinished ...>`
  // and later `pid <... call resumed>rest`; join them so each has its arguments and its result.
  const pending = new Map();
  const lines = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const unfinished = /^(\d+) (.*) <unfinished \.\.\.>$/.exec(line);
    if (unfinished) {
      pending.set(unfinished[1], `${unfinished[1]} ${unfinished[2]}`);
      continue;
    }
    const resumed = /^(\d+) <\.\.\. [a-z0-9_]+ resumed>(.*)$/.exec(line);
    if (resumed && pending.has(resumed[1])) {
      lines.push(pending.get(resumed[1]) + resumed[2]);
      pending.delete(resumed[1]);
      continue;
    }
    lines.push(line);
  }
  const parentOf = new Map();
  for (const line of lines) {
    const m = /^(\d+) (?:clone3?|fork|vfork)\b.*= (\d+)$/.exec(line);
    if (m) parentOf.set(Number(m[2]), Number(m[1]));
  }
  const cwd = new Map();
  const cwdOf = (pid) => {
    if (!cwd.has(pid)) cwd.set(pid, parentOf.has(pid) ? cwdOf(parentOf.get(pid)) : clone);
    return cwd.get(pid);
  };
  const seen = new Set();
  for (const line of lines) {
    const m = /^(\d+) ([a-z0-9_]+)\((.*)$/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const [, , syscall, rest] = m;
    const failed = / = -1 E[A-Z]+/.test(line);
    const base = cwdOf(pid);
    if (syscall === 'fchdir' && !failed) {
      const fd = /^\d+<([^>]*)>/.exec(rest);
      if (fd) cwd.set(pid, fd[1]);
      continue;
    }
    for (const [dir, p] of pathArgs(syscall, rest)) {
      if (p === '') continue; // AT_EMPTY_PATH: the fd itself, checked when it was opened
      const abs = isAbsolute(p) ? p : resolve(dir && isAbsolute(dir) ? dir : base, p);
      if (syscall === 'chdir' && !failed) cwd.set(pid, abs);
      if (outsideClone(abs, failed)) {
        const key = `${syscall} ${abs}`;
        if (!seen.has(key)) {
          seen.add(key);
          problems.push(`${step}: ${syscall} ${abs}${failed ? ` (${/= -1 (E[A-Z]+)/.exec(line)[1]})` : ''}`);
        }
      }
    }
  }
}

// ---- the steps ----

async function main() {
  rmSync(traces, { recursive: true, force: true });
  if (useStrace) execFileSync('mkdir', ['-p', traces]);
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: SOURCE, encoding: 'utf8' }).trim();
  log(`checking ${head.slice(0, 12)} (HEAD of ${SOURCE}) in ${clone}`);
  log(useStrace ? 'strace: every file syscall outside the clone fails the check' : 'no strace on PATH: only the empty surroundings check for reads outside the clone');
  let t = Date.now();
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', '--no-checkout', SOURCE, clone]);
  execFileSync('git', ['-C', clone, 'checkout', '--quiet', '--detach', head]);
  timings.push(['git clone', Date.now() - t]);
  const beside = readdirSync(parent);
  if (beside.length !== 1) throw new Error(`the clone's folder holds ${beside.join(', ')}, not only the clone`);

  const ci = await run('npm-ci', 'npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund']);
  if (ci.code !== 0) throw new Error(`npm ci failed (exit ${ci.code})`);

  let output = '';
  let base;
  let overBudget;
  let healthy = false;
  const start = run('npm-start', 'npm', ['start'], {
    env: { PORT: '0', BUDGET_LENS_SERVE_TOKEN: '' },
    onOutput: (text, child) => {
      output += text;
      base ??= /listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(output)?.[1];
      overBudget ??= /^Over budget: (.+?) \(([a-z_]+), stage /m.exec(output)?.[2];
      if (base && overBudget && /Ctrl-C stops the server\./.test(output) && !healthy) {
        fetch(`${base}/api/v1/healthz`)
          .then((res) => {
            healthy = res.status === 200;
            log(`/healthz: ${res.status}; the first screen names the over-budget group ${overBudget}`);
          })
          .catch((e) => log(`/healthz did not answer: ${e.message}`))
          .finally(() => process.kill(-child.pid, 'SIGINT')); // Ctrl-C: the whole foreground group
      }
    },
  });
  const timer = setTimeout(() => {
    log('npm start did not show its first screen within 10 minutes');
    if (current?.pid) process.kill(-current.pid, 'SIGINT');
  }, 600_000);
  const started = await start;
  clearTimeout(timer);
  await new Promise((r) => setTimeout(r, 500));
  const left = processGroup(started.pgid);
  if (!healthy) throw new Error('npm start: /healthz did not answer with the first screen up');
  if (!overBudget) throw new Error('npm start: the first screen names no over-budget group');
  if (left.length > 0) {
    for (const pid of left) process.kill(pid, 'SIGKILL');
    throw new Error(`npm start left processes after SIGINT: ${left.join(', ')}`);
  }
  if (started.code !== 0 && started.signal !== 'SIGINT' && started.code !== 130) throw new Error(`npm start exited with ${started.code ?? started.signal} after SIGINT`);

  const unit = await run('test-unit', 'npm', ['run', 'test:unit']);
  if (unit.code !== 0) throw new Error(`npm run test:unit failed (exit ${unit.code})`);
}

if (recheck) {
  for (const f of readdirSync(recheck).filter((n) => n.endsWith('.trace')).sort()) checkTrace(f.replace(/\.trace$/, ''), join(recheck, f));
  for (const p of problems) log(p);
  log(`${problems.length} path(s) outside the clone`);
  process.exit(problems.length > 0 ? 1 : 0);
}

let failure;
const total = Date.now();
process.on('SIGINT', () => {
  if (current?.pid) process.kill(-current.pid, 'SIGKILL');
  process.exit(130);
});
try {
  await main();
} catch (e) {
  failure = e instanceof Error ? e.message : String(e);
}
timings.push(['total', Date.now() - total]);
log('timings:');
for (const [name, ms] of timings) log(`  ${name.padEnd(10)} ${seconds(ms).padStart(8)}`);
if (problems.length > 0) {
  log(`${problems.length} path(s) outside the clone were touched:`);
  for (const p of problems.slice(0, 50)) log(`  ${p}`);
}
if (keep) log(`kept ${parent} and ${traces}`);
else {
  rmSync(parent, { recursive: true, force: true });
  rmSync(traces, { recursive: true, force: true });
}
if (failure || problems.length > 0) {
  console.error(`[fresh-clone] FAILED: ${failure ?? 'the clone reached outside itself (see above)'}`);
  process.exit(1);
}
log(`OK: a clone of HEAD in an empty folder installs, starts and passes its unit tests${useStrace ? ' without touching anything outside it' : ''}`);
