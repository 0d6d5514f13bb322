// The envelope every API method returns (docs/architecture.md §2). Errors cross the process boundary as data,
// never as thrown exceptions, so nothing a method does can crash the transport or the UI.
import { z } from 'zod';

export const ErrorCode = z.enum([
  'BAD_REQUEST', // the payload failed validation
  'UNKNOWN_METHOD', // the method is not in the contract
  'NOT_FOUND', // a named thing (task, step, pod) does not exist
  'CONFLICT', // the operation cannot run in the current state (e.g. a plan is already running)
  'CANCELLED', // the caller cancelled the task
  'TOOL_FAILED', // an external tool exited non-zero
  'TOOL_MISSING', // an external tool is not installed
  'CHECKSUM_MISMATCH', // a download did not match its pinned SHA-256
  'NETWORK', // a download or HTTP call failed
  'KUBE', // the Kubernetes API answered with an error
  'TIMEOUT', // something took longer than its limit
  'UNSUPPORTED', // not possible on this host (e.g. GPU on macOS)
  'IMAGE_UNAVAILABLE', // the preflight found an image of the stack its registry will not serve
  'INTERNAL', // a bug: an unexpected exception inside the engine
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiErrorSchema = z.object({
  code: ErrorCode,
  message: z.string(),
  hint: z.string().optional(),
  details: z.unknown().optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export type Ok<T> = { ok: true; value: T };
export type Err = { ok: false; error: ApiError };
export type Result<T> = Ok<T> | Err;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = (code: ErrorCode, message: string, hint?: string, details?: unknown): Err => ({
  ok: false,
  error: { code, message, ...(hint !== undefined ? { hint } : {}), ...(details !== undefined ? { details } : {}) },
});

/** Schema of an envelope carrying `value`; used by transports to validate what crosses the wire. */
export const resultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: ApiErrorSchema }),
  ]);

/** Thrown inside the engine to produce a typed error; the dispatcher turns it into an `Err`. */
export class ApiException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiException';
  }
}
