// Turns (method name, untrusted payload) into a validated handler call and an envelope (docs/architecture.md §2).
// Unknown method, bad payload, or an exception inside a handler all become a typed error — never a throw.
import { z } from 'zod';
import { isMethodName, methods, type MethodName, type Req, type Res } from '../../shared/contract.js';
import { ApiException, err, ok, type Result } from '../../shared/result.js';
import { invalidSettings } from './settings/errors.js';

export type Handler<M extends MethodName> = (req: z.output<(typeof methods)[M]['request']>) => Promise<Res<M>> | Res<M>;
export type Handlers = { [M in MethodName]: Handler<M> };

export interface Dispatcher {
  dispatch(method: unknown, payload: unknown): Promise<Result<unknown>>;
  call<M extends MethodName>(method: M, req: Req<M>): Promise<Result<Res<M>>>;
}

/** Formats zod issues as one readable line per problem ("replicas: must be at least 1"). */
export const describeIssues = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(payload)'}: ${i.message}`).join('; ');

export function createDispatcher(handlers: Handlers, opts: { onInternalError?: (method: string, e: unknown) => void } = {}): Dispatcher {
  const dispatch = async (method: unknown, payload: unknown): Promise<Result<unknown>> => {
    if (!isMethodName(method)) {
      return err('UNKNOWN_METHOD', `Unknown method ${JSON.stringify(typeof method === 'string' ? method : typeof method).slice(0, 80)}.`);
    }
    const spec = methods[method];
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) {
      // Bad settings inside a request (settings.save, host.fit, …) read like bad settings anywhere else: the
      // one wording and the per-field issues the UI marks (settings/errors.ts), the fields named without the
      // request's `settings.` wrapper.
      const issues = parsed.error.issues;
      if (issues.every((i) => i.path[0] === 'settings' && i.path.length > 1)) {
        const e = invalidSettings(issues.map((i) => ({ path: i.path.slice(1).join('.'), message: i.message })));
        return err(e.code, e.message, e.hint, e.details);
      }
      return err('BAD_REQUEST', `Invalid request for ${method}: ${describeIssues(parsed.error)}`, undefined, issues);
    }
    try {
      const handler = handlers[method] as (req: unknown) => Promise<unknown> | unknown;
      const value = await handler(parsed.data);
      // Validate what we send too: a response that breaks the contract is a bug we want to see.
      const checked = spec.response.safeParse(value);
      if (!checked.success) {
        opts.onInternalError?.(method, checked.error);
        return err('INTERNAL', `The engine produced an invalid response for ${method}: ${describeIssues(checked.error)}`);
      }
      return ok(checked.data);
    } catch (e) {
      if (e instanceof ApiException) return err(e.code, e.message, e.hint, e.details);
      opts.onInternalError?.(method, e);
      const message = e instanceof Error ? e.message : String(e);
      return err('INTERNAL', `Unexpected error in ${method}: ${message}`);
    }
  };
  return {
    dispatch,
    call: (method, req) => dispatch(method, req) as never,
  };
}
