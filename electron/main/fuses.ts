// Electron fuses for the packaged app (docs/architecture.md §5; electron-security-testing-facts.md §1 "Fuses").
// Fuses are bits compiled into the Electron binary that switch off features an attacker with local
// access could otherwise use (run the app as plain Node, inject NODE_OPTIONS, attach a debugger, load
// code from outside the signed asar). They are flipped once, after packing and before signing, by
// scripts/after-pack.mjs, which electron-builder runs as its afterPack hook.
//
// This file is imported by that hook through Node's type stripping (Node >= 22.18), so it must stay
// erasable TypeScript with no relative imports: only packages and node: built-ins.
import fs from 'node:fs/promises';
import path from 'node:path';
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire, type FuseV1Config } from '@electron/fuses';
import type { AfterPackContext } from 'electron-builder';

/** Marks the start of the fuse wire in every Electron >= 12 binary (electron docs/tutorial/fuses.md "The hard way"). */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** Set ELECTRON_ENABLE_INSPECT=true when building a test build that Playwright's `_electron.launch` must drive. */
export const INSPECT_ENV = 'ELECTRON_ENABLE_INSPECT';

export interface FusePolicy {
  /** Keep `--inspect`/`--remote-debugging-port` working: test builds only (Playwright attaches through it). */
  inspect: boolean;
}

export function fusePolicyFromEnv(env: NodeJS.ProcessEnv = process.env): FusePolicy {
  return { inspect: env[INSPECT_ENV] === 'true' };
}

/** The wanted state of every fuse, by its @electron/fuses name. */
export function wantedFuses(policy: FusePolicy): Record<keyof typeof FuseV1Options, boolean> {
  return {
    // `ELECTRON_RUN_AS_NODE=1 "llm-d Installer"` would otherwise be a signed Node interpreter.
    RunAsNode: false,
    // Encrypts the cookie store with the OS key (Keychain / libsecret); one-way.
    EnableCookieEncryption: true,
    // NODE_OPTIONS / NODE_EXTRA_CA_CERTS could preload code or trust a rogue CA.
    EnableNodeOptionsEnvironmentVariable: false,
    // Debugger attach; Playwright's _electron.launch needs it, so only test builds keep it.
    EnableNodeCliInspectArguments: policy.inspect,
    // Refuse an app.asar whose hash differs from the one electron-builder embeds (macOS; Windows).
    EnableEmbeddedAsarIntegrityValidation: true,
    // Never fall back to an unpacked resources/app folder that integrity checks do not cover.
    OnlyLoadAppFromAsar: true,
    // Default; we ship no custom browser-process V8 snapshot.
    LoadBrowserProcessSpecificV8Snapshot: false,
    // The UI is served from app://, never file://, so file: needs no extra privileges.
    GrantFileProtocolExtraPrivileges: false,
  };
}

export function fuseConfigFor(policy: FusePolicy, opts: { resetAdHocDarwinSignature: boolean }): FuseV1Config {
  const wanted = wantedFuses(policy);
  return {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature: opts.resetAdHocDarwinSignature,
    [FuseV1Options.RunAsNode]: wanted.RunAsNode,
    [FuseV1Options.EnableCookieEncryption]: wanted.EnableCookieEncryption,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: wanted.EnableNodeOptionsEnvironmentVariable,
    [FuseV1Options.EnableNodeCliInspectArguments]: wanted.EnableNodeCliInspectArguments,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: wanted.EnableEmbeddedAsarIntegrityValidation,
    [FuseV1Options.OnlyLoadAppFromAsar]: wanted.OnlyLoadAppFromAsar,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: wanted.LoadBrowserProcessSpecificV8Snapshot,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: wanted.GrantFileProtocolExtraPrivileges,
  };
}

/** What @electron/fuses is given for a packaged app: the .app bundle on macOS, the executable elsewhere. */
export function packagedElectronPath(appOutDir: string, platform: string, productFilename: string, executableName: string): string {
  if (platform === 'darwin' || platform === 'mas') return path.join(appOutDir, `${productFilename}.app`);
  if (platform === 'win32') return path.join(appOutDir, `${productFilename}.exe`);
  return path.join(appOutDir, executableName);
}

/** The file that actually holds the fuse wire (inside the framework on macOS), as @electron/fuses resolves it. */
export function fuseWireFile(electronPath: string): string {
  if (electronPath.endsWith('.app')) {
    return path.join(electronPath, 'Contents', 'Frameworks', 'Electron Framework.framework', 'Electron Framework');
  }
  return electronPath;
}

export async function hasFuseWire(electronPath: string): Promise<boolean> {
  try {
    const bytes = await fs.readFile(fuseWireFile(electronPath));
    return bytes.includes(FUSE_SENTINEL);
  } catch {
    return false;
  }
}

export type FuseOutcome = { flipped: true } | { flipped: false; reason: string };

export async function applyFuses(electronPath: string, policy: FusePolicy, opts: { resetAdHocDarwinSignature: boolean }): Promise<FuseOutcome> {
  if (!(await hasFuseWire(electronPath))) {
    // The packaging check here packs a stub Electron distribution (no real binary can be downloaded
    // on our machines); a stub has no fuse wire, so there is nothing to flip. A real build always has one.
    return { flipped: false, reason: `no Electron fuse wire in ${fuseWireFile(electronPath)} (a stub Electron distribution, not a real binary)` };
  }
  await flipFuses(electronPath, fuseConfigFor(policy, opts));
  return { flipped: true };
}

/** Reads the fuse wire back as name → enabled (true/false), or 'removed' for fuses Electron dropped. */
export async function readFuses(electronPath: string): Promise<Partial<Record<keyof typeof FuseV1Options, boolean | 'removed'>>> {
  const wire = await getCurrentFuseWire(electronPath);
  const out: Partial<Record<keyof typeof FuseV1Options, boolean | 'removed'>> = {};
  for (const [key, state] of Object.entries(wire)) {
    const index = Number(key);
    if (!Number.isInteger(index)) continue;
    const name = FuseV1Options[index] as keyof typeof FuseV1Options | undefined;
    if (!name) continue;
    // FuseState: '0' disabled, '1' enabled, 'r' removed (ASCII codes in the binary).
    out[name] = state === 0x72 ? 'removed' : state === 0x31;
  }
  return out;
}

/** electron-builder afterPack: flip the fuses of the freshly packed app, or say why not. */
export async function afterPackFuses(context: Pick<AfterPackContext, 'appOutDir' | 'electronPlatformName' | 'arch' | 'packager'>, env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<FuseOutcome> {
  const packager = context.packager as AfterPackContext['packager'] & { executableName?: string };
  const productFilename = packager.appInfo.productFilename;
  const executableName = packager.executableName ?? productFilename;
  const target = packagedElectronPath(context.appOutDir, context.electronPlatformName, productFilename, executableName);
  const policy = fusePolicyFromEnv(env);
  // Arch.arm64 === 3 in builder-util: Apple Silicon refuses to run a binary whose ad-hoc signature no
  // longer matches, so re-sign ad hoc after flipping; a real identity re-signs later anyway.
  const resetAdHocDarwinSignature = context.electronPlatformName === 'darwin' && context.arch === 3;
  const outcome = await applyFuses(target, policy, { resetAdHocDarwinSignature });
  if (outcome.flipped) log(`fuses: flipped in ${target} (inspect ${policy.inspect ? 'ON: test build' : 'off'})`);
  else log(`fuses: skipped: ${outcome.reason}`);
  return outcome;
}
