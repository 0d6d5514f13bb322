// App-level names that do not depend on the stack release (docs/architecture.md §9). Everything that does — chart
// versions, helm release names, object names, labels, selectors, images, ports, CRD manifests — lives in
// the release's manifest, resources/releases/<id>/release.yaml (schema: shared/release.ts).

export const PROFILE_DEFAULT = 'llm-d-cpu';
export const NAMESPACE_DEFAULT = 'llm-d-cpu-inference';

/** The release new installs get (resources/releases/<id>). */
export const DEFAULT_RELEASE_ID = 'llm-d-0.9-optimized-baseline';

/**
 * What the control plane already requests on a fresh minikube node, before the stack asks for anything:
 * kubeadm's static pods (kube-apiserver 250m, kube-controller-manager 200m, kube-scheduler 100m, etcd 100m +
 * 100Mi) and CoreDNS (100m + 70Mi) — `kubectl describe node` on a new minikube shows "cpu 750m (…%)",
 * "memory 170Mi (…%)" under Allocated resources. The fit counts it; the sim's scheduler reserves it.
 */
export const MINIKUBE_CONTROL_PLANE = { cpuMilli: 750, memoryMiB: 170 } as const;

/** API groups of the InferencePool (GAIE): v1, and the older x-k8s alpha group the route repair knows. */
export const INFERENCE_POOL_GROUP = 'inference.networking.k8s.io';
export const INFERENCE_POOL_GROUP_LEGACY = 'inference.networking.x-k8s.io';

/** Secret holding the Hugging Face token, created only when a token is set. */
export const HF_TOKEN_SECRET = 'llm-d-hf-token';

/**
 * The model weights cache the model servers share (settings `modelCache`): a folder in the app data dir on
 * the host (`<data dir>/cache/models`), bound into the minikube node at `nodePath` when the cluster is
 * created (`minikube start --mount --mount-string=<host>:<node>`; the docker and podman drivers make it a
 * bind mount of the node container), mounted into every replica as a hostPath at `mountPath`, and named as
 * the Hugging Face cache by `env`. One download serves every replica and outlives `minikube delete`.
 */
export const MODEL_CACHE = {
  /** huggingface_hub constants.py: HF_HOME (default ~/.cache/huggingface) holds the hub cache ($HF_HOME/hub); vLLM downloads through it. */
  env: 'HF_HOME',
  /** llm-d-modelservice v0.3.8 values.yaml modelArtifacts.mountPath: the path the guide's chart gives HF_HOME. */
  mountPath: '/model-cache',
  /** Where the host folder appears inside the minikube node (our choice; outside minikube's own /var/lib/minikube). */
  nodePath: '/llm-d/model-cache',
  /** The pod volume's name. */
  volume: 'llm-d-model-cache',
} as const;
