// The simulated node's pull decision: the same facts the loopback registry serves (catalog.ts), turned
// into the error containerd hands the kubelet for each way a real pull fails, so pod status and events
// read as on a real node (`Failed to pull image "…": rpc error: code = … desc = <detail>`).
import { registryApiHost } from '../../shared/image-parse.js';
import { type FactsContext, hasArch, imageFacts, refusesAtManifest, tokenRefused } from './catalog.js';

export interface PullFailure {
  reason: 'denied' | 'not-found' | 'arch-missing' | 'rate-limited';
  /** The gRPC code the CRI call fails with. */
  code: 'NotFound' | 'Unknown';
  /** containerd's error text. */
  detail: string;
}

/** undefined when the node can pull `ref`; otherwise why not, worded as containerd words it. */
export function pullFailure(ref: string, ctx: FactsContext): PullFailure | undefined {
  const f = imageFacts(ref, ctx);
  const n = f.normalized;
  const head = `failed to pull and unpack image "${n}"`;
  const resolve = `${head}: failed to resolve reference "${n}"`;
  const tagOrDigest = n.slice(`${f.registry}/${f.repository}`.length + 1).replace(/^[^@]*@/, '');
  switch (f.status) {
    case 'denied': {
      if (refusesAtManifest(f.registry)) {
        return { reason: 'denied', code: 'Unknown', detail: `${resolve}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed` };
      }
      if (tokenRefused(f.registry, f.repository, ctx)) {
        const query = new URLSearchParams({ scope: `repository:${f.repository}:pull`, service: f.registry }).toString();
        return { reason: 'denied', code: 'Unknown', detail: `${resolve}: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://${f.registry}/token?${query}: 403 Forbidden` };
      }
      return { reason: 'denied', code: 'Unknown', detail: `${resolve}: unexpected status from HEAD request to https://${registryApiHost(f.registry)}/v2/${f.repository}/manifests/${tagOrDigest}: 403 Forbidden` };
    }
    case 'not-found':
      return { reason: 'not-found', code: 'NotFound', detail: `${resolve}: ${n}: not found` };
    case 'rate-limited':
      return { reason: 'rate-limited', code: 'Unknown', detail: `${resolve}: unexpected status from HEAD request to https://${registryApiHost(f.registry)}/v2/${f.repository}/manifests/${tagOrDigest}: 429 Too Many Requests` };
    case 'available':
      return hasArch(f, ctx.arch) ? undefined : { reason: 'arch-missing', code: 'NotFound', detail: `${head}: no match for platform in manifest: not found` };
  }
}

/** The message the kubelet puts in the ErrImagePull waiting state and the Failed event. */
export const criMessage = (f: PullFailure): string => `rpc error: code = ${f.code} desc = ${f.detail}`;
