// The simulated helm's engine, shared by `helm` and `helmfile` (which, like the real one, drives helm):
// chart lookup, values (files, --set), install/upgrade by server-side apply, releases recorded as helm
// does (Secrets `sh.helm.release.v1.<name>.v<rev>`, labels owner=helm,name,status,version), uninstall,
// list, and --wait on the release's Deployments.
import { gunzipSync, gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { KubeObject } from '../apiserver/types.js';
import { type Chart, ChartRenderError, isObject, mergeValues, type Values } from '../charts/chart.js';
import { chartName, findChart } from '../charts/index.js';
import { helmInstallSeconds, type Scenario, scaledMs } from '../scenario.js';
import { readJson, sleep, writeJson } from '../state.js';
import { KubeClient, NoKindMatch } from './kube.js';

export class HelmError extends Error {}

export interface Repo { name: string; url: string }
const reposFile = (state: string) => join(state, 'helm', 'repositories.json');
export const loadRepos = (state: string): Repo[] => readJson<Repo[]>(reposFile(state), []);
export function addRepo(state: string, name: string, url: string): 'added' | 'exists' | 'updated' {
  const repos = loadRepos(state);
  const existing = repos.find((r) => r.name === name);
  if (existing?.url === url) return 'exists';
  writeJson(reposFile(state), [...repos.filter((r) => r.name !== name), { name, url }]);
  return existing ? 'updated' : 'added';
}

/**
 * The chart a reference names, at the version `--version` asks for. Each sim chart model has one version
 * (the newest the sim knows, so no `--version` gets it); another version is refused as helm refuses a
 * version its repository index does not list (helm pkg/downloader/chart_downloader.go ResolveChartVersion:
 * `chart %q matching %s not found in %s index. (try 'helm repo update'): %w`, wrapping
 * pkg/repo/index.go IndexFile.Get's `no chart version found for %s-%s`; `helm upgrade` returns it
 * unwrapped) or an OCI registry refuses a tag it does not have.
 */
export function resolveChart(state: string, ref: string, version?: string): Chart {
  const oci = ref.startsWith('oci://');
  if (!oci && ref.includes('/')) {
    const repo = ref.split('/')[0] ?? '';
    if (!loadRepos(state).some((r) => r.name === repo)) throw new HelmError(`repo ${repo} not found`);
  }
  const chart = findChart(ref);
  if (!chart) throw new HelmError(oci ? `${ref.replace('oci://', '')}:latest: not found` : `chart "${chartName(ref)}" not found in ${ref.split('/')[0]} index. (try 'helm repo update'): no chart name found`);
  if (version && !versionMatches(chart.version, version)) {
    throw new HelmError(oci
      ? `${ref.replace('oci://', '')}:${version}: not found`
      : `chart "${chart.name}" matching ${version} not found in ${ref.split('/')[0]} index. (try 'helm repo update'): no chart version found for ${chart.name}-${version}`);
  }
  return chart;
}

interface SemVer { major: number; minor: number; patch: number; pre: string }

const parseSemVer = (s: string): SemVer | undefined => {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(s.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), pre: m[4] ?? '' } : undefined;
};

const cmpSemVer = (a: SemVer, b: SemVer): number => {
  const d = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (d !== 0) return d;
  if (a.pre === b.pre) return 0;
  if (!a.pre) return 1;
  if (!b.pre) return -1;
  return a.pre < b.pre ? -1 : 1;
};

/**
 * helm's version match (pkg/repo/index.go IndexFile.Get): an exact string match first, else a Masterminds
 * semver constraint — `1.2.3`/`v1.2.3`, `1.2` / `1.2.x` ranges, `>= < > <= != ^ ~`, `,`/space for and, `||` for or.
 * As in Masterminds semver v3, a prerelease version only satisfies a comparator that names a prerelease.
 */
export function versionMatches(chartVersion: string, constraint: string): boolean {
  if (constraint === chartVersion) return true;
  const v = parseSemVer(chartVersion);
  if (!v) return false;
  const one = (c: string): boolean => {
    const m = /^(>=|<=|!=|>|<|=|\^|~)?\s*(v?[0-9xX*][0-9A-Za-z.+*-]*)$/.exec(c);
    if (!m) return false;
    const op = m[1] ?? '';
    const raw = (m[2] ?? '').replace(/^v/, '');
    if (raw === '*' || /^[xX*]$/.test(raw)) return !v.pre;
    const parts = raw.split('-')[0]?.split('.') ?? [];
    const wild = parts.length < 3 || parts.some((p) => /^[xX*]$/.test(p));
    const want = parseSemVer(raw.replace(/\.[xX*]/g, '.0'));
    if (!want) return false;
    if (v.pre && !want.pre) return false;
    const c0 = cmpSemVer(v, want);
    const nextMinor = { major: want.major, minor: want.minor + 1, patch: 0, pre: '' };
    const nextMajor = { major: want.major + 1, minor: 0, patch: 0, pre: '' };
    const upper = parts.length < 2 || /^[xX*]$/.test(parts[1] ?? '') ? nextMajor : nextMinor;
    switch (op) {
      case '>=': return c0 >= 0;
      case '>': return c0 > 0;
      case '<=': return c0 <= 0;
      case '<': return c0 < 0;
      case '!=': return c0 !== 0;
      case '~': return c0 >= 0 && cmpSemVer(v, nextMinor) < 0;
      case '^': return c0 >= 0 && cmpSemVer(v, want.major > 0 ? nextMajor : nextMinor) < 0;
      default: return wild ? c0 >= 0 && cmpSemVer(v, upper) < 0 : c0 === 0;
    }
  };
  return constraint.split('||').some((group) => {
    const terms = group.trim().replace(/(>=|<=|!=|>|<|=|\^|~)\s+/g, '$1').split(/[\s,]+/).filter(Boolean);
    return terms.length > 0 && terms.every(one);
  });
}

/** helm's --set syntax: `a.b=c,d[0]=e`; values typed like strvals (true/false/null/ints). */
export function parseSet(expr: string, asString = false): Values {
  const out: Values = {};
  const parts = expr.match(/(?:\\,|[^,])+/g) ?? [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new HelmError(`failed parsing --set data: key "${part}" has no value`);
    const key = part.slice(0, eq);
    const raw = part.slice(eq + 1).replace(/\\,/g, ',');
    const value: unknown = asString ? raw : raw === 'true' ? true : raw === 'false' ? false : raw === 'null' ? null : /^-?\d+$/.test(raw) && raw.length < 16 ? Number(raw) : raw;
    const path = key.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, '.'));
    let cur: Values = out;
    path.forEach((seg, i) => {
      const m = /^(.+)\[(\d+)\]$/.exec(seg);
      const last = i === path.length - 1;
      if (m) {
        const arr = (Array.isArray(cur[m[1] ?? '']) ? cur[m[1] ?? ''] : []) as unknown[];
        cur[m[1] ?? ''] = arr;
        if (last) arr[Number(m[2])] = value;
        else { arr[Number(m[2])] = isObject(arr[Number(m[2])]) ? arr[Number(m[2])] : {}; cur = arr[Number(m[2])] as Values; }
      } else if (last) cur[seg] = value;
      else { cur[seg] = isObject(cur[seg]) ? cur[seg] : {}; cur = cur[seg] as Values; }
    });
  }
  return out;
}

export function loadValues(files: string[], sets: string[], setStrings: string[] = [], inline: Values[] = []): Values {
  let v: Values = {};
  for (const f of files) {
    let text: string;
    try { text = readFileSync(f, 'utf8'); } catch { throw new HelmError(`open ${f}: no such file or directory`); }
    const doc = parse(text) as unknown;
    if (doc !== null && doc !== undefined && !isObject(doc)) throw new HelmError(`failed to parse ${f}: error converting YAML to JSON`);
    v = mergeValues(v, (doc as Values | null) ?? {});
  }
  for (const i of inline) v = mergeValues(v, i);
  for (const s of sets) v = mergeValues(v, parseSet(s));
  for (const s of setStrings) v = mergeValues(v, parseSet(s, true));
  return v;
}

export interface ReleaseRecord {
  name: string;
  namespace: string;
  version: number;
  info: { status: string; first_deployed: string; last_deployed: string; description: string };
  chart: { metadata: { name: string; version: string; appVersion: string } };
  config: Values;
  manifest: string;
}

const SECRET = (name: string, rev: number) => `sh.helm.release.v1.${name}.v${rev}`;
const encode = (r: ReleaseRecord) => Buffer.from(gzipSync(Buffer.from(JSON.stringify(r))).toString('base64')).toString('base64');
const decode = (data: string): ReleaseRecord => JSON.parse(gunzipSync(Buffer.from(Buffer.from(data, 'base64').toString('utf8'), 'base64')).toString('utf8')) as ReleaseRecord;

export async function listReleases(kube: KubeClient, namespace?: string): Promise<ReleaseRecord[]> {
  const secrets = await kube.list('v1', 'Secret', namespace, 'owner=helm');
  const latest = new Map<string, ReleaseRecord>();
  for (const s of secrets) {
    const data = (s.data as Record<string, string> | undefined)?.release;
    if (!data) continue;
    const r = decode(data);
    const key = `${r.namespace}/${r.name}`;
    if ((latest.get(key)?.version ?? 0) < r.version) latest.set(key, r);
  }
  return [...latest.values()].sort((a, b) => a.name.localeCompare(b.name));
}

async function saveRelease(kube: KubeClient, r: ReleaseRecord): Promise<void> {
  await kube.apply({
    apiVersion: 'v1', kind: 'Secret', type: 'helm.sh/release.v1',
    metadata: { name: SECRET(r.name, r.version), namespace: r.namespace, labels: { owner: 'helm', name: r.name, status: r.info.status, version: String(r.version), modifiedAt: String(Math.floor(Date.now() / 1000)) } },
    data: { release: encode(r) },
  } as KubeObject);
}

// Helm's install order (a shortened releaseutil.InstallOrder).
const ORDER = ['Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'Secret', 'ConfigMap', 'Role', 'RoleBinding', 'Service', 'Deployment', 'Gateway', 'InferencePool'];
const rank = (k: string) => { const i = ORDER.indexOf(k); return i < 0 ? ORDER.length : i; };

export const helmDate = (d = new Date()) => d.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, (_m, wd: string, day: string, mon: string, y: string, t: string) => `${wd} ${mon} ${day.padStart(2, ' ')} ${t} ${y}`);
export const listDate = (iso: string) => `${iso.replace('T', ' ').replace(/\.(\d+)Z$/, (_m, f: string) => `.${f.padEnd(9, '0')}`).replace(/Z$/, '')} +0000 UTC`;

export interface InstallOptions {
  release: string;
  chartRef: string;
  /** `--version` (helmfile: the release's `version:`); absent = the newest the sim's chart model has. */
  version?: string;
  namespace: string;
  values: Values;
  createNamespace: boolean;
  skipCrds: boolean;
  wait: boolean;
  timeoutMs: number;
  install: boolean;
  description?: string;
  /**
   * `--reuse-values`: the last release's values with this command's -f/--set merged over them (helm
   * pkg/action upgrade.go reuseValues) — without it an upgrade renders from these values alone, so a
   * `--reuse-values --set one.key=x` fix keeps everything else the release was installed with.
   */
  reuseValues?: boolean;
}

export async function upgradeInstall(kube: KubeClient, state: string, scenario: Scenario, o: InstallOptions, out: (l: string) => void): Promise<ReleaseRecord> {
  const chart = resolveChart(state, o.chartRef, o.version);
  const existing = (await listReleases(kube, o.namespace)).find((r) => r.name === o.release);
  if (!existing && !o.install) throw new HelmError(`UPGRADE FAILED: "${o.release}" has no deployed releases`);
  const verb = existing ? 'UPGRADE' : 'INSTALLATION';
  if (!existing && o.install) out(`Release "${o.release}" does not exist. Installing it now.`);
  // The templates render before anything is written (helm pkg/action install.go: renderResources, then the
  // namespace and the resources); a template's `fail` or execution error stops the install with exit 1.
  const values = o.reuseValues && existing ? mergeValues(existing.config, o.values) : o.values;
  let rendered: KubeObject[];
  try {
    rendered = chart.render({ name: o.release, namespace: o.namespace }, values);
  } catch (err) {
    if (err instanceof ChartRenderError) throw new HelmError(`${verb} FAILED: ${err.message}`);
    throw err;
  }
  if (!(await kube.namespaceExists(o.namespace))) {
    if (!o.createNamespace) throw new HelmError(`${verb} FAILED: create: failed to create: namespaces "${o.namespace}" not found`);
    await kube.createNamespace(o.namespace);
  }
  if (!o.skipCrds && chart.crds) {
    for (const crd of chart.crds()) if (!(await kube.get(crd))) await kube.apply(crd);
  }
  const objects = rendered
    .map((obj): KubeObject => ({ ...obj, metadata: { ...obj.metadata, ...(obj.kind === 'CustomResourceDefinition' || obj.kind === 'GatewayClass' ? {} : { namespace: obj.metadata.namespace ?? o.namespace }), annotations: { ...(obj.metadata.annotations ?? {}), 'meta.helm.sh/release-name': o.release, 'meta.helm.sh/release-namespace': o.namespace } } }))
    .sort((a, b) => rank(a.kind) - rank(b.kind));
  // Like helm: every object must map to a served kind before anything is created.
  for (const obj of objects) {
    if (obj.kind === 'CustomResourceDefinition') continue;
    const crdInRelease = objects.some((c) => c.kind === 'CustomResourceDefinition' && (c.spec as { names?: { kind?: string } }).names?.kind === obj.kind);
    if (!crdInRelease && !(await kube.mapping(obj))) throw new HelmError(`${verb} FAILED: unable to build kubernetes objects from release manifest: ${new NoKindMatch(obj).message}`);
  }
  await sleep(scaledMs(scenario, helmInstallSeconds(scenario, chart.name)));
  for (const obj of objects) await kube.apply(obj);
  // Objects the previous revision had and this one does not are deleted, as helm does.
  if (existing) {
    const keep = new Set(objects.map((x) => `${x.kind}/${x.metadata.namespace ?? ''}/${x.metadata.name}`));
    for (const old of (parse(`[${existing.manifest}]`) as KubeObject[] | null) ?? []) if (!keep.has(`${old.kind}/${old.metadata.namespace ?? ''}/${old.metadata.name}`)) await kube.delete(old);
  }
  const nowIso = new Date().toISOString();
  const record: ReleaseRecord = {
    name: o.release, namespace: o.namespace, version: (existing?.version ?? 0) + 1,
    info: { status: 'deployed', first_deployed: existing?.info.first_deployed ?? nowIso, last_deployed: nowIso, description: o.description ?? (existing ? 'Upgrade complete' : 'Install complete') },
    chart: { metadata: { name: chart.name, version: chart.version, appVersion: chart.appVersion } },
    config: values,
    manifest: objects.map((x) => JSON.stringify(x)).join(','),
  };
  if (existing) await saveRelease(kube, { ...existing, info: { ...existing.info, status: 'superseded' } });
  if (o.wait) await waitDeployments(kube, objects, o.timeoutMs, verb);
  await saveRelease(kube, record);
  return record;
}

async function waitDeployments(kube: KubeClient, objects: KubeObject[], timeoutMs: number, verb: string): Promise<void> {
  const deps = objects.filter((x) => x.kind === 'Deployment');
  const end = Date.now() + timeoutMs;
  for (;;) {
    let pending = 0;
    for (const d of deps) {
      const live = await kube.get(d);
      const want = (live?.spec as { replicas?: number } | undefined)?.replicas ?? 1;
      if (((live?.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0) < want) pending++;
    }
    if (pending === 0) return;
    if (Date.now() > end) throw new HelmError(`${verb} FAILED: context deadline exceeded`);
    await sleep(100);
  }
}

export async function uninstall(kube: KubeClient, scenario: Scenario, name: string, namespace: string): Promise<boolean> {
  const r = (await listReleases(kube, namespace)).find((x) => x.name === name);
  if (!r) return false;
  await sleep(scaledMs(scenario, scenario.durations.helmUninstall));
  const objects = ((parse(`[${r.manifest}]`) as KubeObject[] | null) ?? []).filter((o) => o.kind !== 'CustomResourceDefinition');
  for (const o of objects.reverse()) await kube.delete(o);
  for (const s of await kube.list('v1', 'Secret', namespace, `owner=helm,name=${name}`)) await kube.delete({ ...s, apiVersion: 'v1', kind: 'Secret' });
  return true;
}

export const printRelease = (r: ReleaseRecord, out: (l: string) => void) => {
  out(`NAME: ${r.name}\nLAST DEPLOYED: ${helmDate(new Date(r.info.last_deployed))}\nNAMESPACE: ${r.namespace}\nSTATUS: ${r.info.status}\nREVISION: ${r.version}\nTEST SUITE: None`);
};

export const listEntry = (r: ReleaseRecord) => ({
  name: r.name, namespace: r.namespace, revision: String(r.version), updated: listDate(r.info.last_deployed), status: r.info.status,
  chart: `${r.chart.metadata.name}-${r.chart.metadata.version}`, app_version: r.chart.metadata.appVersion,
});

/** Go duration (`5m0s`, `300s`, `1h`) → ms. */
export function goDuration(s: string): number {
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) ms += Number(m[1]) * ({ h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[m[2] as 'h'] ?? 0);
  if (!ms && s !== '0s' && s !== '0') throw new HelmError(`invalid argument "${s}" for "--timeout" flag: time: invalid duration "${s}"`);
  return ms;
}

export const crdsYaml = (chart: Chart) => (chart.crds?.() ?? []).map((c) => `---\n${stringify(c)}`).join('');
export { KubeClient };
