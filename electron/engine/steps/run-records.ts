// Small JSON records the steps keep in the app's run dir (verified cluster size, smoke test result,
// applied stack hash, caches). Each is read through its zod schema: a record an older version wrote in
// another shape, or a half-edited one, reads as "no record" — the step then detects afresh — instead of
// handing a step a value its type does not describe.
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { parseJson, readStateText, writeJsonAtomic } from '../state-file.js';
import type { StepContext } from '../plan/step.js';

type Ctx = Pick<StepContext, 'paths'>;

const recordFile = (ctx: Ctx, name: string): string => path.join(ctx.paths.runDir, name);

export function readRecord<S extends z.ZodType>(ctx: Ctx, name: string, schema: S): z.infer<S> | undefined {
  const read = readStateText(recordFile(ctx, name));
  if (read.state !== 'text') return undefined;
  const json = parseJson(read.text);
  if (!json.ok) return undefined;
  const parsed = schema.safeParse(json.value);
  return parsed.success ? parsed.data : undefined;
}

export function writeRecord(ctx: Ctx, name: string, value: unknown): void {
  writeJsonAtomic(recordFile(ctx, name), value);
}

export function removeRecord(ctx: Ctx, name: string): void {
  fs.rmSync(recordFile(ctx, name), { force: true });
}
