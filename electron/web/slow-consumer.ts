// Back-pressure for the web host's WebSocket clients (issue #14). ws queues every send in memory
// while the peer is not reading, so one stalled browser tab could make the host hold hundreds of MB.
// Each client may have at most `maxQueuedBytes` waiting (ws's bufferedAmount); beyond that it is
// closed with a code the UI understands (it reconnects and re-reads state), and, since a client that
// does not read will not read the close frame either, terminated after a grace period.
import { WebSocket } from 'ws';

/** RFC 6455 / IANA "Try Again Later": the renderer's transport reconnects on any close. */
export const SLOW_CONSUMER_CLOSE_CODE = 1013;
export const DEFAULT_MAX_QUEUED_BYTES = 16 * 1024 * 1024;
export const DEFAULT_SLOW_CLOSE_GRACE_MS = 10_000;

export interface BackPressureOptions {
  maxQueuedBytes: number;
  closeGraceMs: number;
  log: (line: string) => void;
}

/** Whether a message of `size` bytes may be queued behind `queued` bytes. */
export function mayQueue(queued: number, size: number, maxQueuedBytes: number): boolean {
  // An idle socket always takes one message, however large, so a big reply is never refused alone;
  // the bound is therefore the limit plus one message.
  return queued === 0 || queued + size <= maxQueuedBytes;
}

export type BoundedSend = (ws: WebSocket, text: string) => void;

export function boundedSender(opts: BackPressureOptions): BoundedSend {
  return (ws, text) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    const queued = ws.bufferedAmount;
    const size = Buffer.byteLength(text);
    if (mayQueue(queued, size, opts.maxQueuedBytes)) {
      ws.send(text);
      return;
    }
    const mib = (opts.maxQueuedBytes / (1024 * 1024)).toFixed(1);
    opts.log(`web host: a client stopped reading (${queued} bytes queued, limit ${opts.maxQueuedBytes}); closing it`);
    // After close() the socket is CLOSING, so every later send to it is dropped above.
    ws.close(SLOW_CONSUMER_CLOSE_CODE, `slow consumer: more than ${mib} MiB queued; reconnect`);
    const timer = setTimeout(() => {
      if (ws.readyState !== WebSocket.CLOSED) {
        opts.log('web host: the slow client did not take its close frame; dropping the connection');
        ws.terminate();
      }
    }, opts.closeGraceMs);
    timer.unref();
    ws.once('close', () => clearTimeout(timer));
  };
}
