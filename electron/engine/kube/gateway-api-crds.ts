// Whether the API server lets a release's Gateway API CRDs in over the ones a cluster has: from v1.5 on,
// Gateway API installs a ValidatingAdmissionPolicy (`safe-upgrades.gateway.networking.k8s.io`) that refuses
// CRDs of v1.0–v1.4 ("Installing CRDs with version before v1.5.0 is prohibited by default"). Pure, so the
// CRDs step (before it applies anything) and the doctor (before it suggests a switch of release) agree.
import semver from 'semver';
import type { StackRelease } from '../../../shared/release.js';

/** From this version on, the safe-upgrades policy comes with the CRDs and refuses older ones. */
const SAFE_UPGRADES_FROM = '1.5.0';
/** The annotation every Gateway API CRD carries with its bundle's version. */
export const GATEWAY_API_ANNOTATION = 'gateway.networking.k8s.io/bundle-version';

/** The Gateway API version a release installs (its crdManifests entry with that annotation). */
export const releaseGatewayApi = (r: Pick<StackRelease, 'crdManifests'>): string | undefined =>
  r.crdManifests.find((m) => m.versionAnnotation === GATEWAY_API_ANNOTATION)?.version;

/** The Gateway API version of the CRDs on a cluster (the first with a readable bundle-version). */
export const installedGatewayApi = (crds: Array<{ metadata?: { annotations?: Record<string, string> } }>): string | undefined =>
  crds.map((c) => c.metadata?.annotations?.[GATEWAY_API_ANNOTATION]).find((v): v is string => !!v && semver.valid(semver.coerce(v)) !== null);

/** The cluster's CRDs (`have`) came with the safe-upgrades policy and the release's (`want`) are older than v1.5. */
export function safeUpgradesRefuse(have: string | undefined, want: string | undefined): boolean {
  if (!have || !want) return false;
  const h = semver.coerce(have);
  const w = semver.coerce(want);
  if (!h || !w) return false;
  return semver.lt(w, h) && !semver.lt(h, SAFE_UPGRADES_FROM) && semver.lt(w, SAFE_UPGRADES_FROM);
}
