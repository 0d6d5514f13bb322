// The one "invalid settings" error: every place that rejects settings (save, overrides, host.fit, a doctor
// fix) words it the same way and carries the issues as details, so the UI can mark each field.
import { formatIssues, schemaIssues, type SettingsIssue } from '../../../shared/api/settings.js';
import { ApiException } from '../../../shared/result.js';
import type { z } from 'zod';

export function invalidSettings(issues: readonly SettingsIssue[], code: 'BAD_REQUEST' | 'INTERNAL' = 'BAD_REQUEST', prefix = 'Invalid settings'): ApiException {
  return new ApiException(code, `${prefix}: ${formatIssues(issues)}`, undefined, issues);
}

export const invalidSettingsFrom = (error: z.ZodError): ApiException => invalidSettings(schemaIssues(error));
