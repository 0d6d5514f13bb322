// Simulated `helmfile` (v1.1.7): version, sync, apply (as sync), destroy, with -f, -n, --selector,
// --kube-context, --set/--values. Reads the helmfile's repositories and releases (values files relative to
// the helmfile, inline values, set, needs ordering, installed: false), drives the simulated helm engine,
// and prints what helmfile prints: repo lines, "Upgrading release=…", helm's output, "Listing releases
// matching ^name$", and the UPDATED / DELETED / FAILED RELEASES tables.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadScenario, scaledMs } from '../scenario.js';
import { sleep, stateDir } from '../state.js';
import { type Io, floodOutput, injectedFailure, list, parseFlags, stdio, str, UsageError } from './cli.js';
import { kubeFor } from './helm.js';
import { addRepo, goDuration, HelmError, listEntry, listReleases, loadValues, printRelease, uninstall, upgradeInstall } from './helm-core.js';
import { SIM_VERSIONS } from './versions.js';

const Release = z.object({
  name: z.string(),
  namespace: z.string().optional(),
  chart: z.string(),
  version: z.string().optional(),
  installed: z.boolean().default(true),
  needs: z.array(z.string()).default([]),
  labels: z.record(z.string(), z.string()).default({}),
  values: z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).default([]),
  set: z.array(z.object({ name: z.string(), value: z.unknown() })).default([]),
  createNamespace: z.boolean().optional(),
  wait: z.boolean().optional(),
  timeout: z.number().optional(),
});
const Helmfile = z.object({
  repositories: z.array(z.object({ name: z.string(), url: z.string(), oci: z.boolean().optional() })).default([]),
  helmDefaults: z.object({ wait: z.boolean().optional(), timeout: z.number().optional(), createNamespace: z.boolean().optional() }).passthrough().default({}),
  releases: z.array(Release).default([]),
}).passthrough();
type Release = z.infer<typeof Release>;

const FLAGS = {
  file: { type: 'string', short: 'f' }, namespace: { type: 'string', short: 'n' }, selector: { type: 'string', short: 'l', multiple: true },
  'kube-context': { type: 'string' }, environment: { type: 'string', short: 'e' }, quiet: { type: 'boolean', short: 'q' }, debug: { type: 'boolean' },
  color: { type: 'boolean' }, 'no-color': { type: 'boolean' }, 'allow-no-matching-release': { type: 'boolean' }, interactive: { type: 'boolean', short: 'i' },
  version: { type: 'boolean', short: 'v' }, concurrency: { type: 'string' }, 'skip-deps': { type: 'boolean' }, wait: { type: 'boolean' }, 'wait-for-jobs': { type: 'boolean' },
  timeout: { type: 'string' }, set: { type: 'string', multiple: true }, values: { type: 'string', multiple: true }, 'skip-needs': { type: 'boolean' },
  'include-needs': { type: 'boolean' }, 'include-transitive-needs': { type: 'boolean' }, args: { type: 'string' }, 'skip-crds': { type: 'boolean' },
  'enable-live-output': { type: 'boolean' }, 'skip-diff-on-install': { type: 'boolean' }, 'suppress-diff': { type: 'boolean' }, 'skip-charts': { type: 'boolean' },
} as const;

const pad = (rows: string[][]) => {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c.padStart(widths[i] ?? 0) : c.padEnd((widths[i] ?? 0) + 3))).join('').trimEnd());
};

/** `key=value` (and `key!=value`) label selectors; `name` and `namespace` match the release fields. */
function selected(r: Release, ns: string, selectors: string[]): boolean {
  if (selectors.length === 0) return true;
  const labels: Record<string, string> = { ...r.labels, name: r.name, namespace: ns, chart: r.chart };
  return selectors.some((sel) => sel.split(',').every((term) => {
    const m = /^([^!=]+)(!?=)(.*)$/.exec(term.trim());
    if (!m) throw new UsageError(`Malformed label: ${term}. Expected label in form k=v or k!=v`);
    return m[2] === '=' ? labels[m[1] ?? ''] === m[3] : labels[m[1] ?? ''] !== m[3];
  }));
}

/** Batches in `needs` order (a release after the ones it needs). */
function batches(releases: Release[], nsOf: (r: Release) => string): Release[][] {
  const done = new Set<string>();
  const keys = (r: Release) => [r.name, `${nsOf(r)}/${r.name}`];
  const out: Release[][] = [];
  let left = [...releases];
  while (left.length) {
    const ready = left.filter((r) => r.needs.every((n) => done.has(n) || !releases.some((x) => keys(x).includes(n))));
    if (ready.length === 0) throw new HelmError(`cycle detected in needs of releases: ${left.map((r) => r.name).join(', ')}`);
    out.push(ready);
    for (const r of ready) keys(r).forEach((k) => done.add(k));
    left = left.filter((r) => !ready.includes(r));
  }
  return out;
}

export async function main(args: string[], io: Io = stdio): Promise<number> {
  const scenario = loadScenario();
  const state = stateDir();
  try {
    const p = parseFlags(args, FLAGS);
    const cmd = p.positionals[0];
    if (p.values.version || cmd === 'version') {
      if (cmd === 'version') io.out(`▓▓▓ helmfile\n\n  Version            ${SIM_VERSIONS.helmfile}\n  Git Commit         0bd6c8f\n  Go version         1.24.6\n  Compiler           gc\n  Platform           ${process.platform}/${process.arch === 'arm64' ? 'arm64' : 'amd64'}\n`);
      else io.out(`helmfile version ${SIM_VERSIONS.helmfile}`);
      return 0;
    }
    if (cmd !== 'sync' && cmd !== 'apply' && cmd !== 'destroy' && cmd !== 'list') {
      io.err(`Error: unknown command "${cmd ?? ''}" for "helmfile"\nRun 'helmfile --help' for usage.`);
      return 1;
    }
    const failed = injectedFailure('helmfile', args, scenario, state, io);
    if (failed !== undefined) return failed;
    floodOutput('helmfile', args, scenario, io);
    const file = resolve(str(p, 'file') ?? 'helmfile.yaml');
    let doc: z.infer<typeof Helmfile>;
    try {
      doc = Helmfile.parse(parse(readFileSync(file, 'utf8')) ?? {});
    } catch (err) {
      io.err(err instanceof z.ZodError ? `in ${file}: failed to read ${file}: reading document at index 1: ${z.prettifyError(err)}` : `err: no state file found. It must be named helmfile.d/*.{yaml,yml,gotmpl}, helmfile.yaml, or helmfile.yaml.gotmpl, or otherwise specified with the --file flag or ${'HELMFILE_FILE_PATH'} environment variable`);
      return 1;
    }
    const { kube, namespace: ctxNs } = kubeFor(str(p, 'kube-context'), undefined);
    const nsOf = (r: Release) => r.namespace ?? str(p, 'namespace') ?? ctxNs;
    const releases = doc.releases.filter((r) => selected(r, nsOf(r), list(p, 'selector')));
    if (releases.length === 0 && !p.values['allow-no-matching-release']) {
      io.err('specified selector did not match any releases in ./helmfile.yaml');
      return 1;
    }
    const rows: string[][] = [];
    if (cmd === 'list') {
      const installed = await listReleases(kube);
      io.out(pad([['NAME', 'NAMESPACE', 'ENABLED', 'INSTALLED', 'LABELS', 'CHART', 'VERSION'], ...releases.map((r) => [r.name, nsOf(r), String(r.installed), String(installed.some((x) => x.name === r.name && x.namespace === nsOf(r))), Object.entries(r.labels).map(([k, v]) => `${k}:${v}`).join(','), r.chart, r.version ?? ''])]).join('\n'));
      return 0;
    }
    if (cmd === 'destroy') {
      const installed = await listReleases(kube);
      for (const batch of batches(releases, nsOf).reverse()) {
        for (const r of batch) {
          io.out(`Listing releases matching ^${r.name}$`);
          if (!installed.some((x) => x.name === r.name && x.namespace === nsOf(r))) continue;
          const t = Date.now();
          io.out(`Deleting ${r.name}`);
          await uninstall(kube, scenario, r.name, nsOf(r));
          io.out(`release "${r.name}" uninstalled\n`);
          rows.push([r.name, nsOf(r), `${Math.round((Date.now() - t) / 1000)}s`]);
        }
      }
      if (rows.length) io.out(`\nDELETED RELEASES:\n${pad([['NAME', 'NAMESPACE', 'DURATION'], ...rows]).join('\n')}`);
      return 0;
    }
    for (const repo of doc.repositories) {
      if (repo.oci) continue;
      io.out(`Adding repo ${repo.name} ${repo.url}`);
      await sleep(scaledMs(scenario, scenario.durations.helmRepo));
      const res = addRepo(state, repo.name, repo.url);
      io.out(res === 'exists' ? `"${repo.name}" already exists with the same configuration, skipping\n` : `"${repo.name}" has been added to your repositories\n`);
    }
    const base = dirname(file);
    for (const batch of batches(releases, nsOf)) {
      for (const r of batch) {
        const ns = nsOf(r);
        const t = Date.now();
        if (!r.installed) {
          io.out(`Deleting ${r.name}`);
          if (await uninstall(kube, scenario, r.name, ns)) io.out(`release "${r.name}" uninstalled`);
          continue;
        }
        io.out(`Upgrading release=${r.name}, chart=${r.chart}, namespace=${ns}`);
        const lines: string[] = [];
        try {
          const files = r.values.filter((v): v is string => typeof v === 'string').map((v) => (isAbsolute(v) ? v : resolve(base, v)));
          const inline = r.values.filter((v): v is Record<string, unknown> => typeof v !== 'string');
          const sets = [...r.set.map((s) => `${s.name}=${String(s.value)}`), ...list(p, 'set')];
          const rec = await upgradeInstall(kube, state, scenario, {
            release: r.name, chartRef: r.chart, ...(r.version ? { version: r.version } : {}), namespace: ns, values: loadValues([...files, ...list(p, 'values')], sets, [], inline),
            createNamespace: r.createNamespace ?? doc.helmDefaults.createNamespace ?? true, skipCrds: Boolean(p.values['skip-crds']),
            wait: Boolean(p.values.wait ?? r.wait ?? doc.helmDefaults.wait ?? false),
            timeoutMs: str(p, 'timeout') ? goDuration(`${str(p, 'timeout')}s`) : (r.timeout ?? doc.helmDefaults.timeout ?? 300) * 1000, install: true,
          }, (l) => lines.push(l));
          if (rec.version > 1) lines.push(`Release "${r.name}" has been upgraded. Happy Helming!`);
          printRelease(rec, (l) => lines.push(l));
          io.out(lines.join('\n'));
          io.out(`\nListing releases matching ^${r.name}$`);
          const e = listEntry(rec);
          io.out(`${[e.name, e.namespace, e.revision, e.updated, e.status, e.chart, e.app_version].join('\t')}\n`);
          rows.push([r.name, ns, r.chart, r.version ?? '', `${Math.round((Date.now() - t) / 1000)}s`]);
        } catch (err) {
          if (!(err instanceof HelmError)) throw err;
          const helmArgs = ['upgrade', '--install', r.name, r.chart, '--version', r.version ?? '', '--create-namespace', '--namespace', ns];
          if (rows.length) io.out(`\nUPDATED RELEASES:\n${pad([['NAME', 'NAMESPACE', 'CHART', 'VERSION', 'DURATION'], ...rows]).join('\n')}\n`);
          io.out(`\nFAILED RELEASES:\n${pad([['NAME', 'NAMESPACE', 'CHART', 'VERSION', 'DURATION'], [r.name, ns, r.chart, r.version ?? '', `${Math.round((Date.now() - t) / 1000)}s`]]).join('\n')}`);
          io.err(`in ${str(p, 'file') ?? './helmfile.yaml'}: failed processing release ${r.name}: command "helm" exited with non-zero status:\n\nPATH:\n  helm\n\nARGS:\n${['helm', ...helmArgs].map((a, i) => `  ${i}: ${a} (${a.length} bytes)`).join('\n')}\n\nERROR:\n  exit status 1\n\nEXIT STATUS\n  1\n\nSTDERR:\n  Error: ${err.message}\n\nCOMBINED OUTPUT:\n${lines.map((l) => `  ${l}`).join('\n')}\n  Error: ${err.message}`);
          return 1;
        }
      }
    }
    io.out(`\nUPDATED RELEASES:\n${pad([['NAME', 'NAMESPACE', 'CHART', 'VERSION', 'DURATION'], ...rows]).join('\n')}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof HelmError) { io.err(`Error: ${err.message}`); return 1; }
    if (err instanceof Error && /Kubernetes cluster unreachable/.test(err.message)) { io.err(`Error: ${err.message}`); return 1; }
    throw err;
  }
}
