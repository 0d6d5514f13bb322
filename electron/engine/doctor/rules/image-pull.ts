// An image the node cannot pull, with the registry's reason told apart — the preflight check asks the
// registries before the cluster starts; this reads what the kubelet met afterwards (ErrImagePull and
// ImagePullBackOff messages, and the pods' "Failed to pull image" events). Each failing image gets its
// own reason, so one install whose images fail differently gets the fix for each.
import type { DoctorFix } from '../../../../shared/api/doctor.js';
import { parseImageRef, registryApiHost } from '../../../../shared/image-parse.js';
import type { ContainerSnapshot, PodSnapshot, Snapshot } from '../snapshot.js';
import { releaseAlternatives, type CurableReason, type OwnImageFailure } from './other-release.js';
import { needsCluster, podSource, releaseImageFix, type Rule } from './rule.js';

export type PullReason = 'not-found' | 'denied' | 'rate-limited' | 'wrong-arch' | 'network' | 'unknown';

/** The reason in the kubelet's / containerd's words (the messages the sim's registry copies from them). */
export function pullReason(message: string): PullReason {
  const m = message.toLowerCase();
  if (/no match for platform|exec format error|does not match the specified platform/.test(m)) return 'wrong-arch';
  if (/toomanyrequests|429|rate limit/.test(m)) return 'rate-limited';
  if (/denied|unauthorized|403|401|authentication required/.test(m)) return 'denied';
  if (/not found|manifest unknown|404|name unknown/.test(m)) return 'not-found';
  if (/dial tcp|i\/o timeout|no such host|connection refused|network is unreachable|tls handshake timeout/.test(m)) return 'network';
  return 'unknown';
}

const WHY: Record<PullReason, string> = {
  'not-found': 'the registry has no such image or tag (removed upstream, or a typo)',
  denied: 'the registry refuses it (the image was made private or removed)',
  'rate-limited': 'the registry rate-limits anonymous pulls; it will pass after a while',
  'wrong-arch': 'the image has no build for this node\'s architecture',
  network: 'the node cannot reach the registry (offline, proxy or DNS)',
  unknown: 'the pull failed',
};

/** A few words for the evidence line beside the kubelet's state. */
const SHORT: Record<PullReason, string> = {
  'not-found': 'not found', denied: 'access denied', 'rate-limited': 'rate limited', 'wrong-arch': 'wrong architecture', network: 'no network', unknown: 'pull failed',
};

const PULL_STATES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

/**
 * The pull secret's name, one per registry. A pod gets its ServiceAccount's imagePullSecrets when it is
 * created (the ServiceAccount admission plugin), so the SA is patched and the pod then made again.
 */
const secretName = (registry: string): string => `llm-d-pull-${registry.replace(/[^a-z0-9]+/g, '-')}`;

/** kubectl's `--docker-server` for a registry: Docker Hub's credentials are keyed by its v1 index URL. */
const dockerServer = (registry: string): string => (registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry);

const registryOf = (image: string): string => {
  try {
    return parseImageRef(image).registry;
  } catch {
    return image.split('/')[0] ?? image;
  }
};

interface Hit { p: PodSnapshot; c: ContainerSnapshot; message: string; reason: PullReason }

/** `kubectl create secret docker-registry` per registry and namespace, the SA patched, the pods made again. */
function pullSecretFix(s: Snapshot, hits: Hit[]): DoctorFix {
  const ctx = ['--context', s.plan.settings.profile];
  const byNs = new Map<string, { registries: Set<string>; accounts: Set<string>; pods: Set<string> }>();
  for (const h of hits) {
    const ns = byNs.get(h.p.namespace) ?? { registries: new Set(), accounts: new Set(), pods: new Set() };
    ns.registries.add(registryOf(h.c.image));
    // A pod without spec.serviceAccountName runs as the namespace's "default" account.
    ns.accounts.add(h.p.serviceAccount ?? 'default');
    ns.pods.add(h.p.name);
    byNs.set(h.p.namespace, ns);
  }
  const commands: string[][] = [];
  for (const [ns, { registries, accounts, pods }] of byNs) {
    for (const r of registries) {
      commands.push(['kubectl', ...ctx, 'create', 'secret', 'docker-registry', secretName(r), '-n', ns, `--docker-server=${dockerServer(r)}`, '--docker-username=<your user>', '--docker-password=<a read-only access token>']);
    }
    // A merge patch replaces the list: it names every secret this fix makes for the namespace.
    const patch = JSON.stringify({ imagePullSecrets: [...registries].map((r) => ({ name: secretName(r) })) });
    for (const sa of accounts) commands.push(['kubectl', ...ctx, 'patch', 'serviceaccount', sa, '-n', ns, '-p', patch]);
    commands.push(['kubectl', ...ctx, 'delete', 'pod', '-n', ns, ...pods]);
  }
  const registries = [...new Set(hits.map((h) => registryOf(h.c.image)))].join(', ');
  return { kind: 'commands', id: 'pull-secret', label: `Pull with your ${registries} login: a pull secret for the pods’ service account`, commands };
}

export const imagePull: Rule = {
  id: 'image-pull',
  title: 'Every image can be pulled',
  applies: needsCluster,
  check(s) {
    // The kubelet's own words with the registry's answer ("Failed to pull image "<image>": …"), however many
    // back-off events came after it — this container's image's, as a pod's containers can fail differently.
    const events = (pod: string, image: string) => s.events.filter((e) => e.object === `pod/${pod}` && e.message.startsWith(`Failed to pull image "${image}"`)).slice(-1);
    const hits: Hit[] = s.pods.flatMap((p) => p.containers.filter((c) => c.state.kind === 'waiting' && PULL_STATES.has(c.state.reason ?? '')).map((c) => {
      const message = [c.state.message ?? '', ...events(p.name, c.image).map((e) => e.message)].join('\n');
      return { p, c, message, reason: pullReason(message) };
    }));
    if (hits.length === 0) return undefined;
    const images = [...new Map(hits.map((h) => [h.c.image, h])).values()];
    const arch = s.nodes[0]?.arch;
    const why = (h: Hit) => `${WHY[h.reason]}${h.reason === 'wrong-arch' && arch ? ` (linux/${arch})` : ''}`;
    const fixes: DoctorFix[] = [];
    const overridden = images.map((h) => s.plan.images.find((i) => i.ref === h.c.image)).find((i) => i?.overridden);
    if (overridden) fixes.push(releaseImageFix(s, overridden, 'Use the release’s image'));
    // The release's own image (no override to drop): another release that runs another image for its role.
    const curable = new Set<PullReason>(['wrong-arch', 'not-found', 'denied'] satisfies CurableReason[]);
    const own: OwnImageFailure[] = images.flatMap((h) => {
      const image = s.plan.images.find((i) => i.ref === h.c.image && !i.overridden);
      return image && curable.has(h.reason) ? [{ image, reason: h.reason as CurableReason }] : [];
    });
    const alternatives = releaseAlternatives(s, own, new Set(images.map((h) => h.c.image)));
    fixes.push(...alternatives.fixes);
    const refused = hits.filter((h) => h.reason === 'denied' || h.reason === 'rate-limited');
    if (refused.length > 0) fixes.push(pullSecretFix(s, refused));
    const unreachable = [...new Set(images.filter((h) => h.reason === 'network').map((h) => registryApiHost(registryOf(h.c.image))))];
    if (unreachable.length > 0) {
      const profile = s.plan.settings.profile;
      fixes.push({ kind: 'commands', id: 'check-network', label: 'See whether the node resolves and reaches the registry', commands: unreachable.flatMap((host) => [
        ['minikube', 'ssh', '-p', profile, '--', 'nslookup', host],
        ['minikube', 'ssh', '-p', profile, '--', 'curl', '-sSI', `https://${host}/v2/`],
      ]) });
    }
    fixes.push({ kind: 'commands', id: 'pull-by-hand', label: 'Try the pull yourself', commands: images.map((h) => ['minikube', 'image', 'pull', h.c.image, '-p', s.plan.settings.profile]) });
    const first = images[0]!;
    const summary = images.length === 1
      ? `The node cannot pull ${first.c.image}: ${why(first)}.${hits.length > 1 ? ` ${hits.length - 1} more container${hits.length > 2 ? 's have' : ' has'} the same problem.` : ''}`
      : `The node cannot pull ${images.length} images: ${images.map((h) => `${h.c.image} — ${why(h)}`).join('; ')}.`;
    return {
      severity: hits.every((h) => h.reason === 'rate-limited') ? 'warning' : 'error',
      summary: [summary, ...alternatives.notes].join(' '),
      evidence: hits.map((h) => ({ source: podSource(h.p), lines: [`container ${h.c.name}: ${h.c.state.reason} (${SHORT[h.reason]})`, ...h.message.split('\n').filter(Boolean)] })),
      fixes,
    };
  },
};
