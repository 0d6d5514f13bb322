// Prerequisites as one service used by the API, the CLI and the prerequisites step: check all tools,
// install one or all missing ones (download into the app bin dir; podman on Linux through the package
// manager with one explained admin prompt).
import type { PrereqReport, ToolName, ToolStatus } from '../../../shared/api/engine.js';
import { ApiException } from '../../../shared/result.js';
import { TOOLS } from '../../../shared/tools.js';
import { runProcess } from '../process/runner.js';
import type { Redactor } from '../process/redact.js';
import { elevate, explain, linuxPackageInstall } from './admin.js';
import { detectTool } from './detect.js';
import { installTool, type InstallPhase } from './install.js';

export const ALL_TOOLS: ToolName[] = ['docker', 'podman', 'minikube', 'helm', 'helmfile', 'kubectl'];

export interface PrereqEnvironment {
  env: NodeJS.ProcessEnv;
  platform: string;
  arch: string;
  binDir: string;
  downloadsDir: string;
  mirror: string | undefined;
  driver: 'docker' | 'podman';
  redactor?: Redactor;
}

export interface InstallCallbacks {
  signal?: AbortSignal;
  log?: (line: string) => void;
  onProgress?: (tool: ToolName, phase: InstallPhase | 'admin' | 'failed', detail: { bytes?: number; totalBytes?: number; message?: string }) => void;
  /** A tool was installed and works (what a prerequisite task reports as its result). */
  onInstalled?: (tool: ToolName) => void;
}

export interface PrereqService {
  check(signal?: AbortSignal): Promise<PrereqReport>;
  install(tool: ToolName, cb?: InstallCallbacks): Promise<ToolStatus>;
  /** Installs every required tool that is missing or too old and can be installed; returns the new report. */
  installMissing(cb?: InstallCallbacks): Promise<PrereqReport>;
}

export function createPrereqService(get: () => PrereqEnvironment): PrereqService {
  const check = async (signal?: AbortSignal): Promise<PrereqReport> => {
    const e = get();
    const tools = await Promise.all(ALL_TOOLS.map((name) => detectTool(name, { env: e.env, binDir: e.binDir, platform: e.platform, driver: e.driver, ...(signal ? { signal } : {}) })));
    return { tools, driver: e.driver, ok: tools.every((t) => t.ok || !t.required), binDir: e.binDir };
  };

  const install = async (tool: ToolName, cb: InstallCallbacks = {}): Promise<ToolStatus> => {
    const e = get();
    const log = cb.log ?? (() => {});
    if (tool === 'docker' || (tool === 'podman' && e.platform !== 'linux')) {
      throw new ApiException('UNSUPPORTED', `${tool} cannot be installed by the app on this system.`,
        tool === 'docker' ? 'Install Docker Desktop (or Docker Engine on Linux), start it, then check again.' : 'Install Podman (https://podman.io or `brew install podman`), then check again.');
    }
    if (tool === 'podman') {
      const plan = linuxPackageInstall('podman');
      if (!plan) throw new ApiException('UNSUPPORTED', 'No known package manager (apt-get, dnf, zypper, pacman) was found.', 'Install podman with your distribution\'s tools, then check again.');
      for (const line of explain(plan)) log(line);
      for (const command of plan.commands) {
        const argv = elevate(e.platform, command);
        cb.onProgress?.(tool, 'admin', { message: `Asking for administrator rights to run ${command.join(' ')}` });
        await runProcess(argv[0]!, argv.slice(1), { env: e.env, onLine: (l) => log(l), ...(cb.signal ? { signal: cb.signal } : {}), ...(e.redactor ? { redactor: e.redactor } : {}) });
      }
    } else {
      const spec = TOOLS[tool];
      try {
        const res = await installTool(spec, {
          platform: e.platform, arch: e.arch, mirror: e.mirror, binDir: e.binDir, downloadsDir: e.downloadsDir,
          ...(cb.signal ? { signal: cb.signal } : {}),
          onProgress: (phase, detail) => {
            if (detail.message) log(detail.message);
            cb.onProgress?.(tool, phase, detail);
          },
        });
        log(`Verified SHA-256 ${res.sha256}`);
      } catch (err) {
        cb.onProgress?.(tool, 'failed', { message: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    }
    const status = await detectTool(tool, { env: e.env, binDir: e.binDir, platform: e.platform, driver: e.driver, ...(cb.signal ? { signal: cb.signal } : {}) });
    if (!status.ok && status.required) {
      throw new ApiException('TOOL_FAILED', `${tool} was installed but does not work: ${status.problem ?? 'unknown problem'}`);
    }
    cb.onInstalled?.(tool);
    return status;
  };

  return {
    check,
    install,
    async installMissing(cb = {}) {
      const report = await check(cb.signal);
      for (const t of report.tools) {
        // Runtimes the person installs (Docker, podman on macOS) are reported by the step, not attempted.
        if (!t.required || t.ok || t.install === 'manual' || t.install === 'none') continue;
        // An installed-but-stopped podman is not fixed by reinstalling it.
        if (t.install === 'admin' && t.installed) continue;
        await install(t.name, cb);
      }
      return check(cb.signal);
    },
  };
}
