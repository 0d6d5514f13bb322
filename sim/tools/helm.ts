// Simulated `helm` (v3.19): version, repo add/update, upgrade --install / install, uninstall, list -o json,
// show crds, status. Applies rendered objects to the cluster the kubeconfig names (KUBECONFIG,
// --kube-context) by server-side apply; releases live in the cluster as helm's Secrets.
import { loadScenario, scaledMs } from '../scenario.js';
import { resolveContext } from '../kubeconfig.js';
import { sleep, stateDir } from '../state.js';
import { bool, type Io, injectedFailure, list, parseFlags, stdio, str, UsageError } from './cli.js';
import {
  addRepo, crdsYaml, goDuration, HelmError, KubeClient, listEntry, listReleases, loadRepos, loadValues, printRelease, resolveChart, uninstall, upgradeInstall,
} from './helm-core.js';
import { SIM_VERSIONS, simVersion } from './versions.js';

const GLOBAL = { 'kube-context': { type: 'string' }, namespace: { type: 'string', short: 'n' }, debug: { type: 'boolean' }, kubeconfig: { type: 'string' } } as const;

export function kubeFor(context: string | undefined, kubeconfig: string | undefined): { kube: KubeClient; namespace: string } {
  const env = kubeconfig ? { ...process.env, KUBECONFIG: kubeconfig } : process.env;
  const c = resolveContext(context, env);
  return { kube: new KubeClient(c.server), namespace: c.namespace };
}

export async function main(args: string[], io: Io = stdio): Promise<number> {
  const scenario = loadScenario();
  const state = stateDir();
  const [cmd, ...rest] = args;
  try {
    const failed = injectedFailure('helm', args, scenario, state, io);
    if (failed !== undefined) return failed;
    switch (cmd) {
      case 'version': {
        const p = parseFlags(rest, { short: { type: 'boolean' }, template: { type: 'string' }, client: { type: 'boolean', short: 'c' } });
        const t = str(p, 'template');
        const version = simVersion(scenario, 'helm');
        if (t) io.out(t.replace(/\{\{\s*\.Version\s*\}\}/g, `v${version}`).replace(/\{\{\s*\.GitCommit\s*\}\}/g, SIM_VERSIONS.helmCommit));
        else if (bool(p, 'short')) io.out(`v${version}+g${SIM_VERSIONS.helmCommit.slice(0, 7)}`);
        else io.out(`version.BuildInfo{Version:"v${version}", GitCommit:"${SIM_VERSIONS.helmCommit}", GitTreeState:"clean", GoVersion:"go1.24.7"}`);
        return 0;
      }
      case 'repo': {
        const [sub, ...more] = rest;
        if (sub === 'add') {
          const p = parseFlags(more, { 'force-update': { type: 'boolean' }, ...GLOBAL });
          const [name, url] = p.positionals;
          if (!name || !url) throw new UsageError('"helm repo add" requires 2 arguments');
          await sleep(scaledMs(scenario, scenario.durations.helmRepo));
          const r = addRepo(state, name, url);
          io.out(r === 'exists' ? `"${name}" already exists with the same configuration, skipping` : `"${name}" has been added to your repositories`);
          return 0;
        }
        if (sub === 'update' || sub === 'up') {
          const p = parseFlags(more, GLOBAL);
          const repos = loadRepos(state).filter((r) => p.positionals.length === 0 || p.positionals.includes(r.name));
          if (repos.length === 0) { io.err('Error: no repositories found. You must add one before updating'); return 1; }
          io.out('Hang tight while we grab the latest from your chart repositories...');
          await sleep(scaledMs(scenario, scenario.durations.helmRepo));
          for (const r of repos) io.out(`...Successfully got an update from the "${r.name}" chart repository`);
          io.out('Update Complete. ⎈Happy Helming!⎈');
          return 0;
        }
        if (sub === 'list' || sub === 'ls') {
          const p = parseFlags(more, { output: { type: 'string', short: 'o' }, ...GLOBAL });
          const repos = loadRepos(state);
          if (str(p, 'output') === 'json') io.out(JSON.stringify(repos));
          else { io.out('NAME\tURL'); for (const r of repos) io.out(`${r.name}\t${r.url}`); }
          return 0;
        }
        throw new UsageError(`unknown command "${sub ?? ''}" for "helm repo"`);
      }
      case 'upgrade':
      case 'install': {
        const p = parseFlags(rest, {
          ...GLOBAL, install: { type: 'boolean', short: 'i' }, 'create-namespace': { type: 'boolean' }, values: { type: 'string', short: 'f', multiple: true },
          set: { type: 'string', multiple: true }, 'set-string': { type: 'string', multiple: true }, version: { type: 'string' }, wait: { type: 'boolean' },
          'wait-for-jobs': { type: 'boolean' }, timeout: { type: 'string' }, 'skip-crds': { type: 'boolean' }, atomic: { type: 'boolean' }, 'reset-values': { type: 'boolean' },
          'reuse-values': { type: 'boolean' }, description: { type: 'string' }, 'history-max': { type: 'string' },
        });
        const [release, chartRef] = p.positionals;
        if (!release || !chartRef) throw new UsageError(`"helm ${cmd}" requires 2 arguments`);
        const { kube, namespace } = kubeFor(str(p, 'kube-context'), str(p, 'kubeconfig'));
        const rec = await upgradeInstall(kube, state, scenario, {
          release, chartRef, ...(str(p, 'version') ? { version: str(p, 'version') } : {}), namespace: str(p, 'namespace') ?? namespace, values: loadValues(list(p, 'values'), list(p, 'set'), list(p, 'set-string')),
          createNamespace: bool(p, 'create-namespace') ?? false, skipCrds: bool(p, 'skip-crds') ?? false, wait: (bool(p, 'wait') ?? false) || (bool(p, 'atomic') ?? false),
          timeoutMs: goDuration(str(p, 'timeout') ?? '5m0s'), install: cmd === 'install' || (bool(p, 'install') ?? false), ...(str(p, 'description') ? { description: str(p, 'description') } : {}),
          ...(bool(p, 'reuse-values') && !bool(p, 'reset-values') ? { reuseValues: true } : {}),
        }, io.out);
        if (cmd === 'upgrade' && rec.version > 1) io.out(`Release "${release}" has been upgraded. Happy Helming!`);
        printRelease(rec, io.out);
        return 0;
      }
      case 'uninstall':
      case 'delete':
      case 'un': {
        const p = parseFlags(rest, { ...GLOBAL, wait: { type: 'boolean' }, timeout: { type: 'string' }, 'ignore-not-found': { type: 'boolean' }, 'keep-history': { type: 'boolean' } });
        const { kube, namespace } = kubeFor(str(p, 'kube-context'), str(p, 'kubeconfig'));
        for (const name of p.positionals) {
          if (await uninstall(kube, scenario, name, str(p, 'namespace') ?? namespace)) io.out(`release "${name}" uninstalled`);
          else if (!bool(p, 'ignore-not-found')) { io.err(`Error: uninstall: Release not loaded: ${name}: release: not found`); return 1; }
        }
        return 0;
      }
      case 'list':
      case 'ls': {
        const p = parseFlags(rest, { ...GLOBAL, output: { type: 'string', short: 'o' }, 'all-namespaces': { type: 'boolean', short: 'A' }, all: { type: 'boolean', short: 'a' }, filter: { type: 'string', short: 'f' }, short: { type: 'boolean', short: 'q' } });
        const { kube, namespace } = kubeFor(str(p, 'kube-context'), str(p, 'kubeconfig'));
        const filter = str(p, 'filter');
        const releases = (await listReleases(kube, bool(p, 'all-namespaces') ? undefined : str(p, 'namespace') ?? namespace)).filter((r) => !filter || new RegExp(filter).test(r.name));
        const entries = releases.map(listEntry);
        if (str(p, 'output') === 'json') io.out(JSON.stringify(entries));
        else if (bool(p, 'short')) for (const e of entries) io.out(e.name);
        else {
          io.out('NAME\tNAMESPACE\tREVISION\tUPDATED\tSTATUS\tCHART\tAPP VERSION');
          for (const e of entries) io.out([e.name, e.namespace, e.revision, e.updated, e.status, e.chart, e.app_version].join('\t'));
        }
        return 0;
      }
      case 'status': {
        const p = parseFlags(rest, { ...GLOBAL, output: { type: 'string', short: 'o' } });
        const { kube, namespace } = kubeFor(str(p, 'kube-context'), str(p, 'kubeconfig'));
        const r = (await listReleases(kube, str(p, 'namespace') ?? namespace)).find((x) => x.name === p.positionals[0]);
        if (!r) { io.err('Error: release: not found'); return 1; }
        if (str(p, 'output') === 'json') io.out(JSON.stringify(r));
        else printRelease(r, io.out);
        return 0;
      }
      case 'show': {
        const [sub, ...more] = rest;
        const p = parseFlags(more, { ...GLOBAL, version: { type: 'string' } });
        const chart = resolveChart(state, p.positionals[0] ?? '', str(p, 'version'));
        if (sub === 'crds') { io.out(crdsYaml(chart)); return 0; }
        if (sub === 'chart') { io.out(`apiVersion: v2\nname: ${chart.name}\nversion: ${chart.version}\nappVersion: ${chart.appVersion}`); return 0; }
        throw new UsageError(`unknown command "${sub ?? ''}" for "helm show"`);
      }
      default:
        io.err(`Error: unknown command "${cmd ?? ''}" for "helm"\nRun 'helm --help' for usage.`);
        return 1;
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof HelmError) { io.err(`Error: ${err.message}`); return 1; }
    if (err instanceof Error && /unreachable|fetch failed|ECONNREFUSED/.test(err.message + String(err.cause ?? ''))) {
      io.err(`Error: ${err.message.startsWith('Kubernetes cluster unreachable') ? err.message : 'Kubernetes cluster unreachable: Get "' + '…/version": dial tcp: connect: connection refused'}`);
      return 1;
    }
    throw err;
  }
}
