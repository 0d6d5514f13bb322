// The figures under each reply: time to first token, tokens/s, prompt and completion tokens, and the
// replica that served it — or "unknown" and why, never a guess.
import { ATTRIBUTION_SOURCE_LABELS, type ChatReply } from '../../../../shared/api/chat.js';
import { shortPodName } from '../metrics/history.js';

/** What decided the replica, in the words of the evidence a person could check themselves. */

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);

export function ReplyStats({ reply }: { reply: ChatReply }) {
  const a = reply.attribution;
  return (
    <dl className="pg-stats" data-testid="reply-stats">
      <div><dt>First token</dt><dd data-testid="stat-ttft">{reply.ttftMs !== undefined ? ms(reply.ttftMs) : '—'}</dd></div>
      <div><dt>Speed</dt><dd data-testid="stat-tps">{reply.tokensPerSecond !== undefined ? `${reply.tokensPerSecond.toFixed(1)} tokens/s` : '—'}</dd></div>
      <div>
        <dt>Tokens</dt>
        <dd data-testid="stat-tokens">{reply.usage ? `${reply.usage.promptTokens} prompt · ${reply.usage.completionTokens} completion` : 'not reported'}</dd>
      </div>
      <div className="pg-stat-replica">
        <dt>Replica</dt>
        {a.known ? (
          <dd data-testid="stat-replica" data-pod={a.pod} title={a.pod}>
            <span className="pg-replica-name">{shortPodName(a.pod)}</span>{' '}
            <span className="muted" data-source={a.source}>({ATTRIBUTION_SOURCE_LABELS[a.source]}{a.ip ? `, ${a.ip}` : ''})</span>
          </dd>
        ) : (
          <dd data-testid="stat-replica" data-pod="">
            unknown <span className="muted">— {a.reason}</span>
          </dd>
        )}
      </div>
    </dl>
  );
}
