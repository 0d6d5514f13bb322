// `cli check`'s verdict as one pure function over its report: the exit code, the Fit line's mark and the
// closing line come from the same facts, so the command never exits 1 saying "fix what is marked ✘" with
// nothing marked (issue 15). A host too small for the settings is marked ✘ only outside a rehearsal; in
// one it is a warning (!), as in Configure and the host-check step (shared/fit.ts settingsFit).
import type { PrereqReport } from '../../../shared/api/engine.js';
import type { FitVerdict } from '../../../shared/api/host.js';
import type { ImagesReport } from '../../../shared/api/images.js';

export interface CheckInput {
  fit: FitVerdict;
  prereqs: PrereqReport;
  images: ImagesReport;
  /** Why this is a rehearsal (steps/rehearsal.ts rehearsalReason), or undefined for a real install. */
  rehearsal: string | undefined;
}

export interface CheckVerdict {
  ok: boolean;
  exitCode: 0 | 1;
  /** "✘ Fit: does-not-fit — …": the mark says whether the fit blocks, like the tools' and images' marks. */
  fitLine: string;
  /** The last line: what to fix (to stderr) when not ok; a rehearsal's warning (to stdout) when ok. */
  closing?: { stream: 'out' | 'err'; text: string };
}

const list = (names: string[]): string => names.join(', ');

export function checkVerdict({ fit, prereqs, images, rehearsal }: CheckInput): CheckVerdict {
  const fitBlocks = fit.level === 'does-not-fit' && rehearsal === undefined;
  const fitWarns = fit.level === 'does-not-fit' && rehearsal !== undefined;
  const mark = fitBlocks ? '✘' : fit.level === 'fits' ? '✔' : '!';
  const fitLine = `${mark} Fit: ${fit.level}${fitWarns ? ' (only a warning in a rehearsal: the cluster is simulated)' : ''} — ${fit.summary}`;

  // Exactly what the command marks ✘: a required tool that is not ok, an image that is a blocker, the fit.
  const tools = prereqs.tools.filter((t) => !t.ok && t.required).map((t) => t.name);
  const blockedImages = images.images.filter((i) => i.verdict === 'blocker').map((i) => i.label);
  const failed = [
    ...(fitBlocks ? [`this machine does not fit the settings (see the advice above, or change them on the Configure page)`] : []),
    ...(tools.length ? [`missing or unusable tools: ${list(tools)} (missing ones install with \`npm run cli -- up\`)`] : []),
    ...(blockedImages.length ? [`images that cannot be pulled: ${list(blockedImages)}`] : []),
  ];
  if (failed.length > 0) return { ok: false, exitCode: 1, fitLine, closing: { stream: 'err', text: `Not ready — fix what is marked ✘: ${failed.join('; ')}.` } };
  if (fitWarns) return { ok: true, exitCode: 0, fitLine, closing: { stream: 'out', text: `Ready for the rehearsal (${rehearsal}); this machine would not fit the settings for a real install.` } };
  return { ok: true, exitCode: 0, fitLine };
}
