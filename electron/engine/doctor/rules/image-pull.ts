// An image the node cannot pull, with the registry's reason told apart — the preflight check asks the
// registries before the cluster starts; this reads what the kubelet met afterwards (ErrImagePull and
// ImagePullBackOff messages, and the pods' "Failed to pull image" events).
import type { DoctorFix } from '../../../../shared/api/doctor.js';
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

const PULL_STATES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

export const imagePull: Rule = {
  id: 'image-pull',
  title: 'Every image can be pulled',
  applies: needsCluster,
  check(s) {
    const hits = s.pods.flatMap((p) => p.containers.filter((c) => c.state.kind === 'waiting' && PULL_STATES.has(c.state.reason ?? '')).map((c) => ({ p, c })));
    if (hits.length === 0) return undefined;
    const first = hits[0]!;
    // The kubelet's own words with the registry's answer ("Failed to pull image …"), however many back-off
    // events came after it.
    const events = (pod: string) => s.events.filter((e) => e.object === `pod/${pod}` && e.message.startsWith('Failed to pull image')).slice(-1);
    const message = (h: typeof first) => [h.c.state.message ?? '', ...events(h.p.name).map((e) => e.message)].join('\n');
    const reason = pullReason(message(first));
    const fixes: DoctorFix[] = [];
    const chosen = s.plan.images.find((i) => i.ref === first.c.image);
    if (chosen?.overridden) {
      fixes.push(releaseImageFix(s, chosen, 'Use the release’s image'));
    }
    fixes.push({ kind: 'commands', id: 'pull-by-hand', label: 'Try the pull yourself', commands: [['minikube', 'image', 'pull', first.c.image, '-p', s.plan.settings.profile]] });
    return {
      severity: reason === 'rate-limited' ? 'warning' : 'error',
      summary: `The node cannot pull ${first.c.image}: ${WHY[reason]}.${hits.length > 1 ? ` ${hits.length - 1} more container${hits.length > 2 ? 's have' : ' has'} the same problem.` : ''}`,
      evidence: hits.map((h) => ({ source: podSource(h.p), lines: [`container ${h.c.name}: ${h.c.state.reason}`, ...message(h).split('\n').filter(Boolean)] })),
      fixes,
    };
  },
};
