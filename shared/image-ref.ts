// Container image references compared the way docker does: `nginx` is docker.io/library/nginx:latest.
// The engine (what is already pulled into the node) and the simulated node both compare through this.

/** Docker-style normalisation, so `quay.io/a/b:t` and what minikube lists compare equal. */
export function normalizeImage(ref: string): string {
  let r = ref;
  const slash = r.indexOf('/');
  const first = slash === -1 ? '' : r.slice(0, slash);
  if (slash === -1) r = `docker.io/library/${r}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') r = `docker.io/${r}`;
  const last = r.slice(r.lastIndexOf('/') + 1);
  if (!last.includes(':') && !last.includes('@')) r = `${r}:latest`;
  return r;
}
