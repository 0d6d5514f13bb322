// HTTP plumbing shared by the handlers: JSON/Status responses and request bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StoreError } from './types.js';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: Array<{ reason?: string; message: string; field?: string }>;
}

/** A Kubernetes `Status` object as the API server returns for failures. */
export function statusObject(code: number, reason: string, message: string, details?: StatusDetails): Record<string, unknown> {
  return {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason,
    ...(details && Object.keys(details).length > 0 ? { details } : {}), code,
  };
}

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Maps anything thrown by a handler to a Status response; unexpected errors become 500 InternalError. */
export function sendError(res: ServerResponse, err: unknown, details?: StatusDetails): void {
  if (err instanceof StoreError) {
    sendJson(res, err.status, statusObject(err.status, err.reason, err.message, { ...details, ...(err.details ?? {}), ...(err.causes ? { causes: err.causes } : {}) }));
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  sendJson(res, 500, statusObject(500, 'InternalError', `Internal error occurred: ${message}`));
}

const MAX_BODY = 8 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readRawBody(req)).toString('utf8');
}

export async function readRawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new StoreError(400, 'BadRequest', 'request entity too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new StoreError(400, 'BadRequest', `the body of the request was in an unknown format: ${(e as Error).message}`);
  }
}

/** `as=Table` in the Accept header: kubectl's request for server-side printing. */
export const wantsTable = (req: IncomingMessage): boolean => /as=Table/.test(req.headers.accept ?? '');
