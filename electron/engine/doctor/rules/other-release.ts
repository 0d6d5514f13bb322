// When the node cannot pull the release's *own* image (no override of the person's): the other stack releases
// that would run another image for that role on this node, each offered as a switch of release (settings
// `{ release }`, then the install again). Pure over the snapshot's release options (release-options.ts).
import type { DoctorFix } from '../../../../shared/api/doctor.js';
import { Arch, IMAGE_ROLE_LABELS, type ChosenImage } from '../../../../shared/release.js';
import { safeUpgradesRefuse } from '../../kube/gateway-api-crds.js';
import type { ReleaseOption, Snapshot } from '../snapshot.js';
import { cliCommand, cliCommandFor } from './rule.js';

/** The reasons another image (of another release) can cure: the tag is gone, refused, or built for another arch. */
export type CurableReason = 'wrong-arch' | 'not-found' | 'denied';

export interface OwnImageFailure { image: ChosenImage; reason: CurableReason }

export interface ReleaseAlternatives {
  /** Sentences for the finding's summary: what the other releases run instead, or that none does. */
  notes: string[];
  fixes: DoctorFix[];
}

/** The role's label inside a sentence ("model server (vLLM)"): only its first letter lowered. */
const role = (i: ChosenImage): string => { const l = IMAGE_ROLE_LABELS[i.role]; return l.charAt(0).toLowerCase() + l.slice(1); };

/**
 * `failing`: the plan's own images the node cannot pull for a curable reason; `failedRefs`: every image that
 * failed to pull (whatever the reason) — a release that runs one of those again is no way out.
 */
export function releaseAlternatives(s: Snapshot, failing: OwnImageFailure[], failedRefs: ReadonlySet<string>): ReleaseAlternatives {
  if (failing.length === 0 || !s.releases) return { notes: [], fixes: [] };
  const reported = Arch.safeParse(s.nodes[0]?.arch);
  const arch = reported.success ? reported.data : s.plan.nodeArch;
  if (arch !== s.plan.nodeArch) {
    // Another release's plan would still choose images for the host's architecture, not the node's.
    return { notes: [`The node reports linux/${arch}, but the plan chose the images for linux/${s.plan.nodeArch} (this computer's architecture): another stack release would not change that.`], fixes: [] };
  }
  const candidates = s.releases.filter((r) => {
    const images = r.images[arch];
    return images !== undefined && r.models.includes(s.plan.settings.model)
      && failing.every((f) => images[f.image.role] !== undefined)
      && !Object.values(images).some((ref) => failedRefs.has(ref));
  });
  const notes = failing.map((f) => {
    const what = f.reason === 'wrong-arch' ? `a ${role(f.image)} image for linux/${arch}` : `another ${role(f.image)} image`;
    const offer = candidates.length
      ? candidates.map((r) => `${r.title} runs ${r.images[arch]![f.image.role]!} instead`).join('; ')
      : `no other stack release has ${what}`;
    return `It is the ${role(f.image)} image of ${s.plan.release.title}; ${offer}. You can also set an image of your own for it in Configure → Advanced images.`;
  });
  return { notes, fixes: candidates.map((r) => switchFix(s, r, arch, failing)) };
}

export const releaseFixId = (release: string): string => `release-${release.replace(/[^a-z0-9-]/g, '-')}`;

/**
 * What the switch does, as the install does it: the stack step takes the installed release's stack out first,
 * then deploys the other's. A release whose Gateway API CRDs are older than the cluster's cannot be installed
 * over them (the CRDs step stops: Gateway API's safe-upgrades policy), so that switch is a new cluster.
 */
function switchFix(s: Snapshot, r: ReleaseOption, arch: Arch, failing: OwnImageFailure[]): DoctorFix {
  const images = r.images[arch]!;
  const instead = failing.map((f) => `${images[f.image.role]!} as its ${role(f.image)}`).join(', ');
  if (safeUpgradesRefuse(s.gatewayApi, r.gatewayApi)) {
    return {
      kind: 'commands', id: releaseFixId(r.id),
      label: `Switch to ${r.title} on a new cluster (${instead}): its Gateway API CRDs (${r.gatewayApi!}) are older than this cluster's (${s.gatewayApi!}), which Gateway API's safe-upgrades policy refuses — delete the cluster, then install it (or choose it in Configure and install)`,
      commands: [cliCommand(s, 'down', '--delete-cluster', '--yes'), cliCommandFor({ ...s.plan.settings, release: r.id }, 'up', '--yes')],
    };
  }
  return {
    // A fix id is [a-z0-9-] (doctor.fix's `rule:fix`, the CLI's --fix): a release id's dots become dashes.
    kind: 'settings', id: releaseFixId(r.id), label: `Switch to ${r.title}`,
    does: `Changes the stack release to ${r.title} and runs the install again: it takes ${s.plan.release.title}'s stack out of ${s.plan.settings.namespace} first, then deploys ${r.title}'s own charts and images (${instead}, for linux/${arch}). Your other settings stay.`,
    settings: { release: r.id },
  };
}
