// Static security gate (docs/architecture.md §7 "Static"; electron-security-testing-facts.md §2): electronegativity
// over the BUILT main process, preload and renderer HTML. Every finding must be fixed or listed, with its
// reason, in security/electronegativity-allowlist.json; anything else fails the run. Electronegativity
// itself always exits 0 on findings (doyensec/electronegativity#108), so this wraps its programmatic run().
//
// Keeping the findings meaningful on bundled output:
//   - electronegativity 1.10.3 parses with esprima, then a babel configuration from 2021; modern syntax
//     (class private fields, static blocks, …) makes it drop a whole file with "Unknown node type" and then
//     report *missing* handlers as if the file had none. So the gate re-emits each bundle at ES2020 (esbuild
//     follows the bundle's source map, so the new map points straight at our TypeScript), and any parse
//     error fails the gate instead of silently shrinking the scan.
//   - it only scans .js/.jsx/.ts/.tsx/.html names, so the preload (preload.cjs) is staged as preload.js.
//   - every finding is mapped back through the source map to a TypeScript file and line, and allowlist
//     entries name that source file (not a bundle line that moves with every change).
//   - the releases check needs the network; here it cannot reach it and says so — that only disables the
//     "available security fixes" lookup, not the scan.
// Run: `tsx scripts/security-gate.ts` (part of `npm run test:static`); report in out/security/.
import { createRequire, SourceMap } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { z } from 'zod';

const require = createRequire(import.meta.url);

/** What one finding looks like once located in our sources. */
export interface Finding {
  id: string;
  severity: string;
  confidence: string;
  manualReview: boolean;
  /** Repo-relative source file (TypeScript for JS findings), 'out/renderer/index.html', or 'N/A' for global checks. */
  source: string;
  line: number;
  sample: string;
  description: string;
}

export const AllowlistEntry = z.object({
  /** electronegativity check id, e.g. PRELOAD_JS_CHECK */
  id: z.string().min(1),
  /** the source file the finding maps to (see Finding.source) */
  source: z.string().min(1),
  /** optional: the finding's code sample must contain this, so a second occurrence in the same file is not covered */
  match: z.string().min(1).optional(),
  /** why this is acceptable, and what test proves it */
  reason: z.string().min(20),
});
export type AllowlistEntry = z.infer<typeof AllowlistEntry>;
export const Allowlist = z.object({ $comment: z.string().optional(), entries: z.array(AllowlistEntry) });
export type Allowlist = z.infer<typeof Allowlist>;

export interface Verdict {
  allowed: { finding: Finding; entry: AllowlistEntry }[];
  unexpected: Finding[];
  /** Entries that matched nothing: the code changed, so the review no longer applies. */
  stale: AllowlistEntry[];
}

const covers = (entry: AllowlistEntry, f: Finding): boolean =>
  entry.id === f.id && entry.source === f.source && (entry.match === undefined || f.sample.includes(entry.match));

/** Splits findings into reviewed and unexpected, and reports allowlist entries that no longer apply. */
export function judge(findings: Finding[], allowlist: Allowlist): Verdict {
  const allowed: Verdict['allowed'] = [];
  const unexpected: Finding[] = [];
  const used = new Set<AllowlistEntry>();
  for (const finding of findings) {
    const entry = allowlist.entries.find((e) => covers(e, finding));
    if (entry) {
      allowed.push({ finding, entry });
      used.add(entry);
    } else {
      unexpected.push(finding);
    }
  }
  return { allowed, unexpected, stale: allowlist.entries.filter((e) => !used.has(e)) };
}

// --- electronegativity's programmatic API (CommonJS, untyped): validated at the boundary -----------------

const Level = z.object({ name: z.string(), value: z.number() });
const RawIssue = z.object({
  id: z.string(),
  file: z.string(),
  location: z.object({ line: z.number(), column: z.number() }),
  severity: Level,
  confidence: Level,
  manualReview: z.boolean().optional(),
  sample: z.string().optional(),
  description: z.string(),
});
const RawResult = z.object({
  errors: z.array(z.object({ file: z.string(), message: z.string(), tolerable: z.boolean() })),
  issues: z.array(RawIssue),
});
type RawResult = z.infer<typeof RawResult>;

async function electronegativity(input: string, excludeFromScan: string[]): Promise<RawResult> {
  const run = require('@doyensec/electronegativity') as (options: Record<string, unknown>) => Promise<unknown>;
  return RawResult.parse(await run({ input, isSarif: false, customScan: [], excludeFromScan, isRelative: true }));
}

// --- staging the built app for the scanner ---------------------------------------------------------------

export interface ScanTarget {
  /** built file under out/ */
  built: string;
  /** name inside the staging dir (electronegativity only reads .js/.html) */
  staged: string;
  kind: 'js-esm' | 'js-cjs' | 'html';
}

export const SCAN_TARGETS: ScanTarget[] = [
  { built: 'out/main/main.js', staged: 'main/main.js', kind: 'js-esm' },
  { built: 'out/preload/preload.cjs', staged: 'preload/preload.js', kind: 'js-cjs' },
  { built: 'out/renderer/index.html', staged: 'renderer/index.html', kind: 'html' },
];

async function stage(root: string, stageDir: string): Promise<void> {
  fs.rmSync(stageDir, { recursive: true, force: true });
  for (const t of SCAN_TARGETS) {
    const from = path.join(root, t.built);
    if (!fs.existsSync(from)) throw new Error(`${t.built} is missing: run \`npm run build\` first (the gate scans the built app).`);
    const to = path.join(stageDir, t.staged);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (t.kind === 'html') {
      fs.copyFileSync(from, to);
      continue;
    }
    // Re-emit at ES2020 for the 2021-era parser; esbuild reads the bundle's own map, so the new map
    // leads to the TypeScript sources.
    await build({
      entryPoints: [from],
      outfile: to,
      bundle: false,
      format: t.kind === 'js-esm' ? 'esm' : 'cjs',
      platform: 'node',
      target: 'es2020',
      supported: { 'top-level-await': true },
      sourcemap: true,
      logLevel: 'error',
    });
  }
  // For the Electron version checks (it reads devDependencies.electron).
  fs.copyFileSync(path.join(root, 'package.json'), path.join(stageDir, 'package.json'));
}

function locate(root: string, stageDir: string, issue: z.infer<typeof RawIssue>): { source: string; line: number } {
  if (issue.file === 'N/A') return { source: 'N/A', line: 0 };
  const target = SCAN_TARGETS.find((t) => t.staged === issue.file.split(path.sep).join('/'));
  if (!target) return { source: issue.file, line: issue.location.line };
  if (target.kind === 'html') return { source: target.built, line: issue.location.line };
  const mapFile = path.join(stageDir, `${target.staged}.map`);
  const map = new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  const entry = map.findEntry(Math.max(0, issue.location.line - 1), issue.location.column);
  if (!('originalSource' in entry) || !entry.originalSource) return { source: target.built, line: issue.location.line };
  const original = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : path.resolve(path.dirname(mapFile), entry.originalSource);
  return { source: path.relative(root, original).split(path.sep).join('/'), line: entry.originalLine + 1 };
}

export interface GateResult {
  findings: Finding[];
  parseErrors: { file: string; message: string }[];
  verdict: Verdict;
}

export interface GateOptions {
  /** electronegativity check class names to leave out (tests skip the releases lookup, which needs the network) */
  excludeChecks?: string[];
}

export async function runGate(root: string, allowlist: Allowlist, options: GateOptions = {}): Promise<GateResult> {
  // Staged outside out/ so a concurrent `npm run build` (which empties out/) cannot pull it away.
  const stageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'electronegativity-'));
  try {
    return await scan(root, allowlist, stageDir, options.excludeChecks ?? []);
  } finally {
    fs.rmSync(stageDir, { recursive: true, force: true });
  }
}

async function scan(root: string, allowlist: Allowlist, stageDir: string, excludeChecks: string[]): Promise<GateResult> {
  await stage(root, stageDir);
  const raw = await electronegativity(stageDir, excludeChecks);
  const findings = raw.issues.map((issue): Finding => {
    const { source, line } = locate(root, stageDir, issue);
    return {
      id: issue.id,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      manualReview: issue.manualReview ?? false,
      source,
      line,
      sample: issue.sample ?? '',
      description: issue.description,
    };
  });
  // Any parse error (even one electronegativity calls tolerable) means part of the app went unscanned.
  const parseErrors = raw.errors.map(({ file, message }) => ({ file, message }));
  return { findings, parseErrors, verdict: judge(findings, allowlist) };
}

export function loadAllowlist(file: string): Allowlist {
  return Allowlist.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const allowlistFile = path.join(root, 'security', 'electronegativity-allowlist.json');
  const result = await runGate(root, loadAllowlist(allowlistFile));
  const reportFile = path.join(root, 'out', 'security', 'electronegativity-report.json');
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  fs.writeFileSync(reportFile, `${JSON.stringify(result, null, 2)}\n`);
  // electronegativity prints "No connectivity?" when its releases lookup fails: expected on machines
  // without internet access; that lookup only reports newer Electron releases, the scan itself is local.
  console.log('security-gate: (a "No connectivity?" line above is electronegativity failing to fetch the Electron release list — expected offline; the scan is unaffected)');
  const where = (f: Finding) => (f.source === 'N/A' ? '(global)' : `${f.source}:${f.line}`);
  for (const { finding, entry } of result.verdict.allowed) console.log(`  reviewed  ${finding.id.padEnd(36)} ${where(finding)}  — ${entry.reason}`);
  for (const f of result.verdict.unexpected) console.error(`  NEW       ${f.id.padEnd(36)} ${where(f)}  ${f.severity}/${f.confidence}  ${f.description}\n            ${f.sample}`);
  for (const e of result.verdict.stale) console.error(`  STALE     ${e.id.padEnd(36)} ${e.source}  (no such finding any more: remove it from the allowlist)`);
  for (const e of result.parseErrors) console.error(`  UNPARSED  ${e.file}: ${e.message} (electronegativity could not read it, so it was not scanned)`);
  const failed = result.verdict.unexpected.length + result.verdict.stale.length + result.parseErrors.length;
  console.log(`security-gate: ${result.findings.length} finding(s), ${result.verdict.allowed.length} reviewed in ${path.relative(root, allowlistFile)}; report ${path.relative(root, reportFile)}`);
  if (failed > 0) {
    console.error(`security-gate: FAILED — ${result.verdict.unexpected.length} new finding(s), ${result.verdict.stale.length} stale allowlist entr(ies), ${result.parseErrors.length} unparsed file(s). Fix the code or add a reviewed entry with its reason.`);
    process.exit(1);
  }
}
