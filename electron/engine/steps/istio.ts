// Step "Install Istio" (docs/architecture.md §4 step 6): istio-base and istiod (the release's version) through helmfile with the
// Gateway API inference extension switched on (ENABLE_GATEWAY_API_INFERENCE_EXTENSION), then wait for
// istiod to be Ready, like the guide's deploy.sh.
import path from 'node:path';
import { istioGateway, needChart, releaseSelectors } from '../../../shared/release.js';
import { ClusterWatch } from '../kube/cluster-watch.js';
import type { Step } from '../plan/step.js';
import { helmReleases, liveCluster, podsMatching, requireCluster } from './cluster-access.js';
import { fileIn, stackDir, writeRendered } from './rendered-stack.js';
import { timeoutMs } from './timeouts.js';

export const istioHelmfileArgs = (file: string, profile: string): string[] => ['sync', '-f', file, '--kube-context', profile];

export const istio: Step = {
  id: 'istio',
  title: 'Install Istio',
  needs: ['crds'],
  include: (plan) => plan.release.gateway.provider === 'istio',
  describe(plan) {
    const file = path.join('<app data>', 'stack', 'current', 'istio.helmfile.yaml');
    return {
      commands: [['helmfile', ...istioHelmfileArgs(file, plan.settings.profile)]],
      manifests: [{ name: 'istio.helmfile.yaml', yaml: fileIn(plan.renderedStack(), 'istio.helmfile.yaml') }],
      notes: [`Istio ${istioGateway(plan.release).version}. Waits until istiod (label ${releaseSelectors(plan.release).istiod}) is Ready in ${istioGateway(plan.release).namespace}.`],
    };
  },
  async detect(ctx) {
    const live = await liveCluster(ctx);
    if (!live.kc) return { state: 'todo', reason: live.why };
    const gateway = istioGateway(ctx.release);
    const releases = await helmReleases(live.kc, gateway.namespace);
    const missing = [needChart(ctx.release, 'istioBase').release, needChart(ctx.release, 'istiod').release].filter((r) => releases.get(r) !== 'deployed');
    if (missing.length) return { state: 'todo', reason: `not deployed: ${missing.join(', ')}` };
    const ready = (await podsMatching(live.kc, gateway.namespace, releaseSelectors(ctx.release).istiod ?? 'app=istiod')).filter((p) => p.podReady);
    return ready.length > 0 ? { state: 'done', detail: `Istio ${gateway.version} is running` } : { state: 'todo', reason: 'istiod is not Ready' };
  },
  async run(ctx) {
    const files = await writeRendered(ctx);
    await ctx.run('helmfile', istioHelmfileArgs(files['istio.helmfile.yaml'] ?? path.join(stackDir(ctx), 'istio.helmfile.yaml'), ctx.settings.profile));
    ctx.progress(0.7, 'waiting for istiod');
    const ns = istioGateway(ctx.release).namespace;
    const watch = new ClusterWatch(requireCluster(ctx), { namespaces: [ns] });
    await watch.start();
    try {
      await watch.waitForReady({ namespace: ns, selector: releaseSelectors(ctx.release).istiod ?? 'app=istiod', count: 1, timeoutMs: timeoutMs(ctx.env, 'LLMD_WAIT_ISTIOD_MS', 300_000), signal: ctx.signal });
    } finally {
      await watch.stop();
    }
    ctx.log('istiod is Ready.');
  },
};
