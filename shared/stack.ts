// App-level names that do not depend on the stack release (docs/architecture.md §9). Everything that does — chart
// versions, helm release names, object names, labels, selectors, images, ports, CRD manifests — lives in
// the release's manifest, resources/releases/<id>/release.yaml (schema: shared/release.ts).

export const PROFILE_DEFAULT = 'llm-d-cpu';
export const NAMESPACE_DEFAULT = 'llm-d-cpu-inference';

/** The release new installs get (resources/releases/<id>). */
export const DEFAULT_RELEASE_ID = 'llm-d-0.9-optimized-baseline';

/** API groups of the InferencePool (GAIE): v1, and the older x-k8s alpha group the route repair knows. */
export const INFERENCE_POOL_GROUP = 'inference.networking.k8s.io';
export const INFERENCE_POOL_GROUP_LEGACY = 'inference.networking.x-k8s.io';

/** Secret holding the Hugging Face token, created only when a token is set. */
export const HF_TOKEN_SECRET = 'llm-d-hf-token';
