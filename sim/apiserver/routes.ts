// Parses Kubernetes REST paths: /api/v1/[namespaces/NS/]RESOURCE[/NAME[/SUBRESOURCE]] and /apis/G/V/...
export interface ResourcePath {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const segs = pathname.split('/').filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) {
    group = '';
    version = segs[1] ?? '';
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    group = segs[1] ?? '';
    version = segs[2] ?? '';
    rest = segs.slice(3);
  } else {
    return undefined;
  }
  const base = { group, version };
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2] ?? ''))) {
    if (rest.length > 5) return undefined;
    return { ...base, namespace: rest[1], resource: rest[2] ?? '', name: rest[3], subresource: rest[4] };
  }
  if (rest.length > 3) return undefined;
  return { ...base, resource: rest[0] ?? '', name: rest[1], subresource: rest[2] };
}
