// A registry mirror reached the way containerd reaches one: every registry's requests go to
// `<mirror>/v2/...?ns=<upstream host>`. `LLMD_REGISTRY_MIRROR` names it (the simulated registry in tests
// and rehearsals, a pull-through cache on a locked-down network).
import { z } from 'zod';

export const REGISTRY_MIRROR_ENV = 'LLMD_REGISTRY_MIRROR';

export class RegistryMirrorError extends Error {
  override readonly name = 'RegistryMirrorError';
  constructor(readonly value: string, reason: string) {
    super(`${REGISTRY_MIRROR_ENV}="${value}" is not a usable registry mirror: ${reason}`);
  }
}

const MirrorUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .transform((s) => new URL(s))
  .refine((u) => !u.username && !u.password, { error: 'credentials in the URL are not supported (anonymous pulls only)' })
  .refine((u) => !u.search && !u.hash, { error: 'must not have a query or fragment' });

/** The mirror base URL, without a trailing slash; throws RegistryMirrorError when it is not an http(s) URL. */
export function parseMirror(value: string): string {
  const parsed = MirrorUrl.safeParse(value.trim());
  if (!parsed.success) throw new RegistryMirrorError(value, parsed.error.issues[0]?.message ?? 'invalid URL');
  return parsed.data.href.replace(/\/+$/, '');
}

/** The mirror from the environment, or undefined when none is set. */
export function mirrorFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[REGISTRY_MIRROR_ENV];
  return value === undefined || value.trim() === '' ? undefined : parseMirror(value);
}
