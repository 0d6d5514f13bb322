// The other stack releases as data for the doctor's snapshot (snapshot.ts ReleaseOption): what the image-pull
// rule needs to suggest a switch of release when the release's own image cannot be pulled — for each node
// architecture, the image each role would run (chooseImages, the plan's own choice) — and its Gateway API
// version (a switch to older CRDs than the cluster's needs a new cluster).
import { Arch, chooseImages, ReleaseImageMissing, type Accelerator, type ImageRole, type StackRelease } from '../../../shared/release.js';
import { releaseGatewayApi } from '../kube/gateway-api-crds.js';
import type { ReleaseOption } from './snapshot.js';

/** Every release but `current`, with the images its plan would run on each architecture for `accelerator`. */
export function releaseOptions(releases: readonly StackRelease[], current: string, accelerator: Accelerator): ReleaseOption[] {
  return releases.filter((r) => r.id !== current).map((r) => {
    const images: ReleaseOption['images'] = {};
    for (const arch of Arch.options) {
      try {
        images[arch] = Object.fromEntries(chooseImages(r, arch, accelerator).map((i) => [i.role, i.ref])) as Partial<Record<ImageRole, string>>;
      } catch (e) {
        // A role without an image on this architecture: the release's plan cannot be made there.
        if (!(e instanceof ReleaseImageMissing)) throw e;
      }
    }
    const gatewayApi = releaseGatewayApi(r);
    return { id: r.id, title: r.title, images, models: Object.keys(r.models), ...(gatewayApi ? { gatewayApi } : {}) };
  });
}
