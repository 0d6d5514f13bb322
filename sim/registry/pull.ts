// The simulated node's pull decision: the same facts the loopback registry serves (catalog.ts), turned
// into the error containerd hands the kubelet for each way a real pull fails, so pod status and events
// read as on a real node (`Failed to pull image "…": rpc error: code = … desc = <detail>`).
import { createHash } from 'node:crypto';
import { registryApiHost } from '../../shared/image-parse.js';
import { type FactsContext, hasArch, imageFacts, type ImageFacts, refusesAtManifest, tokenRefused } from './catalog.js';

/** The ways a scenario's imagePullBackOff fault makes the node's pull fail (sim/scenario.ts). */
export type FaultReason = 'not-found' | 'denied' | 'rate-limited' | 'network' | 'wrong-arch';

export interface PullFailure {
  reason: 'denied' | 'not-found' | 'arch-missing' | 'rate-limited' | 'network';
  /** The gRPC code the CRI call fails with. */
  code: 'NotFound' | 'Unknown';
  /** containerd's error text. */
  detail: string;
}

/** undefined when the node can pull `ref`; otherwise why not, worded as containerd words it. */
export function pullFailure(ref: string, ctx: FactsContext): PullFailure | undefined {
  const f = imageFacts(ref, ctx);
  if (f.status === 'available') return hasArch(f, ctx.arch) ? undefined : failureOf(f, 'wrong-arch', ctx);
  return failureOf(f, f.status, ctx);
}

/** What the node's pull of `ref` meets when a scenario fault makes it fail for `reason`. */
export function faultFailure(ref: string, reason: FaultReason, ctx: FactsContext): PullFailure {
  return failureOf(imageFacts(ref, ctx), reason, ctx);
}

function failureOf(f: ImageFacts, reason: FaultReason, ctx: FactsContext): PullFailure {
  const n = f.normalized;
  const head = `failed to pull and unpack image "${n}"`;
  const resolve = `${head}: failed to resolve reference "${n}"`;
  const tagOrDigest = n.slice(`${f.registry}/${f.repository}`.length + 1).replace(/^[^@]*@/, '');
  const api = registryApiHost(f.registry);
  const manifestUrl = `https://${api}/v2/${f.repository}/manifests/${tagOrDigest}`;
  switch (reason) {
    case 'denied': {
      if (refusesAtManifest(f.registry)) {
        return { reason: 'denied', code: 'Unknown', detail: `${resolve}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed` };
      }
      if (tokenRefused(f.registry, f.repository, ctx)) {
        const query = new URLSearchParams({ scope: `repository:${f.repository}:pull`, service: f.registry }).toString();
        return { reason: 'denied', code: 'Unknown', detail: `${resolve}: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://${f.registry}/token?${query}: 403 Forbidden` };
      }
      return { reason: 'denied', code: 'Unknown', detail: `${resolve}: unexpected status from HEAD request to ${manifestUrl}: 403 Forbidden` };
    }
    case 'not-found':
      return { reason: 'not-found', code: 'NotFound', detail: `${resolve}: ${n}: not found` };
    case 'rate-limited':
      if (f.registry === 'docker.io') {
        // Docker Hub does not count the HEAD of a tag: the tag resolves, and the GET of the manifest by
        // digest is refused with a body containerd quotes — kata-containers/kata-containers#10109 and
        // namespacelabs/foundation#846 (kubelet events): `failed to copy: httpReadSeeker: failed open:
        // unexpected status code https://registry-1.docker.io/v2/<repo>/manifests/sha256:…: 429 Too Many
        // Requests - Server message: toomanyrequests: You have reached your pull rate limit. …`.
        const digest = createHash('sha256').update(n).digest('hex');
        return { reason: 'rate-limited', code: 'Unknown', detail: `${head}: failed to copy: httpReadSeeker: failed open: unexpected status code https://${api}/v2/${f.repository}/manifests/sha256:${digest}: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit` };
      }
      return { reason: 'rate-limited', code: 'Unknown', detail: `${resolve}: unexpected status from HEAD request to ${manifestUrl}: 429 Too Many Requests` };
    case 'network':
      // The node cannot resolve the registry: containerd's resolver fails its first request, the HEAD of the
      // manifest (kubernetes/kubeadm#2936: `failed to resolve reference "…": failed to do request: Head
      // "https://registry.k8s.io/v2/…/manifests/…": dial tcp …`), with Go's resolver error from the node's
      // DNS server (rancher/k3os#431: `dial tcp: lookup registry-1.docker.io: …`); a minikube node on the
      // docker driver asks its network's gateway, 192.168.49.1.
      return { reason: 'network', code: 'Unknown', detail: `${resolve}: failed to do request: Head "${manifestUrl}": dial tcp: lookup ${api} on 192.168.49.1:53: no such host` };
    case 'wrong-arch':
      return { reason: 'arch-missing', code: 'NotFound', detail: `${head}: no match for platform in manifest: not found` };
  }
}

/** The message the kubelet puts in the ErrImagePull waiting state and the Failed event. */
export const criMessage = (f: PullFailure): string => `rpc error: code = ${f.code} desc = ${f.detail}`;
