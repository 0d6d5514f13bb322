// Step "Check the images in their registries" (docs/architecture.md §4 "Stack releases"): before the podman machine
// or the cluster starts, every image of the plan is asked of its registry (Docker Registry HTTP API v2,
// anonymous). A removed, private, missing or wrong-architecture image stops the install here, in seconds,
// with the image, the registry's answer and what to do; an unreachable or rate-limiting registry is a
// warning. A check without blockers is remembered for a day for the same images and architecture (a
// warning was shown once; asking again on every `up` would only repeat it).
import { createHash } from 'node:crypto';
import { ApiException } from '../../../shared/result.js';
import { checkPlanImages, reportLines } from '../images/preflight.js';
import type { PlanContext, Step } from '../plan/step.js';
import { z } from 'zod';
import { readRecord, writeRecord } from './run-records.js';

const RECORD = 'image-check.json';
const ImageCheckRecord = z.object({ key: z.string().optional(), at: z.string().optional(), ok: z.boolean().optional(), warnings: z.number().optional() });
const FRESH_MS = 24 * 3600_000;

export const imageCheckKey = (plan: Pick<PlanContext, 'images' | 'nodeArch'>): string =>
  createHash('sha256').update(JSON.stringify([plan.nodeArch, plan.images.map((i) => i.ref)])).digest('hex');

export const imageCheck: Step = {
  id: 'image-check',
  title: 'Check the images in their registries',
  needs: ['host-check'],
  describe(plan) {
    return {
      commands: [],
      notes: [
        ...plan.images.map((i) => `Ask the registry of ${i.ref} whether it can be pulled for linux/${plan.nodeArch} (Docker Registry HTTP API v2, anonymous).`),
        'A removed, private, missing or wrong-architecture image stops the install before the cluster starts; an unreachable registry is only a warning.',
      ],
    };
  },
  async detect(ctx) {
    const rec = readRecord(ctx, RECORD, ImageCheckRecord);
    if (rec?.ok && rec.key === imageCheckKey(ctx) && rec.at && Date.now() - Date.parse(rec.at) < FRESH_MS) {
      return { state: 'done', detail: rec.warnings ? `checked at ${rec.at}; ${rec.warnings} image(s) could not be checked (registry unreachable or rate-limited)` : `all ${ctx.images.length} images were available at ${rec.at}` };
    }
    return { state: 'todo', reason: 'the images have not been checked for these settings today' };
  },
  async run(ctx) {
    ctx.log(`Checking ${ctx.images.length} images for linux/${ctx.nodeArch} (${ctx.release.title})`);
    const report = await checkPlanImages(ctx, { env: ctx.env, signal: ctx.signal });
    for (const line of reportLines(report)) ctx.log(line);
    const blockers = report.images.filter((i) => i.verdict === 'blocker');
    if (blockers.length) {
      writeRecord(ctx, RECORD, { key: imageCheckKey(ctx), at: report.checkedAt, ok: false });
      const what = blockers.map((b) => `${b.label} ${b.ref}: ${b.check.message}`).join('; ');
      throw new ApiException('IMAGE_UNAVAILABLE', `${blockers.length === 1 ? 'An image' : `${blockers.length} images`} of the stack cannot be pulled, so the install would fail: ${what}`,
        blockers.map((b) => b.advice).filter(Boolean).join(' '), report);
    }
    const warnings = report.images.filter((i) => i.verdict === 'warning').length;
    writeRecord(ctx, RECORD, { key: imageCheckKey(ctx), at: report.checkedAt, ok: true, warnings });
    ctx.progress(1, warnings ? `${warnings} image(s) could not be checked` : 'all images available');
  },
};
