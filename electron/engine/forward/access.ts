// The local URLs of the stack (docs/architecture.md §4 step 10): the gateway forward the access step starts, and
// Prometheus (9090) and Grafana (3000) on demand. Shared by `cli status`, the API's access.* methods and
// the access step. A recorded forward whose process died is restarted when its status is asked for.
import fs from 'node:fs';
import path from 'node:path';
import { SmokeTestResult, type AccessStatus, type ForwardInfo, type ForwardName } from '../../../shared/api/cluster.js';
import type { Settings } from '../../../shared/api/settings.js';
import { releaseNames } from '../../../shared/release.js';
import { loadRelease } from '../stack/releases.js';
import { ensureForward, listForwards, stopForward, type ForwardSpec, type ForwardStatus } from './forwards.js';
import { recordsDirFor, stopRecordedForwarders } from './forwarder-records.js';

export const SMOKE_RECORD = 'smoke-test.json';
export const PREFERRED_PORTS: Record<ForwardName, number> = { gateway: 8000, prometheus: 9090, grafana: 3000 };

/** Which service each forward reaches, from the settings' stack release (names, namespaces, ports). */
export function forwardSpec(name: ForwardName, settings: Pick<Settings, 'profile' | 'namespace' | 'release'>): ForwardSpec {
  const base = { name, context: settings.profile, preferredPort: PREFERRED_PORTS[name] };
  const release = loadRelease(settings.release);
  const names = releaseNames(release);
  switch (name) {
    case 'gateway': return { ...base, namespace: settings.namespace, service: names.gatewayService, servicePort: release.ports.gatewayService };
    case 'prometheus': return { ...base, namespace: release.monitoringNamespace, service: names.prometheusService, servicePort: release.ports.prometheus };
    case 'grafana': return { ...base, namespace: release.monitoringNamespace, service: names.grafanaService, servicePort: release.ports.grafana };
  }
}

const isName = (n: string): n is ForwardName => n === 'gateway' || n === 'prometheus' || n === 'grafana';

export const toInfo = (f: Pick<ForwardStatus, 'name' | 'url' | 'namespace' | 'service' | 'servicePort'> & { alive: boolean }): ForwardInfo | undefined =>
  isName(f.name) ? { name: f.name, url: f.url, alive: f.alive, namespace: f.namespace, service: f.service, servicePort: f.servicePort } : undefined;

export function readSmokeTest(runDir: string): SmokeTestResult | undefined {
  try {
    const parsed = SmokeTestResult.safeParse(JSON.parse(fs.readFileSync(path.join(runDir, SMOKE_RECORD), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface AccessOptions {
  runDir: string;
  env: NodeJS.ProcessEnv;
  settings: Pick<Settings, 'profile' | 'namespace' | 'release'>;
  /** Told about each restart (the API turns it into a forward.state event). */
  onRestart?: (info: ForwardInfo, message: string) => void;
}

/** Every recorded forward with its URL; a dead one is restarted on its old port when it is free. */
export async function accessStatus(opts: AccessOptions): Promise<AccessStatus> {
  const forwards: ForwardInfo[] = [];
  for (const f of await listForwards(opts.runDir)) {
    if (!isName(f.name)) continue;
    if (f.alive) {
      forwards.push(toInfo(f)!);
      continue;
    }
    try {
      const st = await ensureForward({ ...forwardSpec(f.name, opts.settings), preferredPort: f.port }, { runDir: opts.runDir, env: opts.env });
      const info = toInfo({ ...st, alive: true })!;
      opts.onRestart?.(info, `The ${f.name} port-forward had stopped; restarted at ${st.url}.`);
      forwards.push(info);
    } catch (e) {
      forwards.push(toInfo(f)!);
      opts.onRestart?.(toInfo(f)!, `The ${f.name} port-forward had stopped and could not be restarted: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const gateway = forwards.find((f) => f.name === 'gateway' && f.alive);
  const smoke = readSmokeTest(opts.runDir);
  return { forwards, ...(gateway ? { gatewayUrl: gateway.url } : {}), ...(smoke ? { smokeTest: smoke } : {}) };
}

export async function openForward(name: ForwardName, opts: AccessOptions): Promise<ForwardInfo> {
  const st = await ensureForward(forwardSpec(name, opts.settings), { runDir: opts.runDir, env: opts.env });
  return toInfo({ ...st, alive: true })!;
}

/**
 * Closes one forward: the forwarder its state file names, and any other forwarder of that name a record
 * still lists (one whose state file was lost or replaced) — as teardown does for all of them.
 */
export async function closeForward(name: ForwardName, runDir: string): Promise<boolean> {
  const named = await stopForward(runDir, name);
  const recorded = await stopRecordedForwarders(recordsDirFor(runDir), { name });
  return named || recorded.some((r) => r.outcome === 'stopped');
}
