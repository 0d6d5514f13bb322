// Playground: chat with the model through the gateway and see llm-d's routing — which replica answered
// each reply, a routing experiment, and live per-replica metrics (docs/architecture.md §1, §4 "Chat and routing
// insight"). The page asks the engine for the gateway's models first and shows plainly when it cannot.
import { useEffect, useRef, useState } from 'react';
import { PageHeader } from '../components/PageHeader.js';
import { MetricsCharts } from '../components/metrics/MetricsCharts.js';
import { ChatSettings } from '../components/playground/ChatSettings.js';
import { Composer } from '../components/playground/Composer.js';
import { ErrorCallout } from '../components/playground/ErrorCallout.js';
import { Experiment } from '../components/playground/Experiment.js';
import { Plug } from '../components/Icons.js';
import { MessageView } from '../components/playground/MessageView.js';
import { paramsValid } from '../playground/params.js';
import { usePlayground } from '../stores/playground.js';
import '../styles/playground.css';

function GatewayState({ everReady }: { everReady: boolean }) {
  const gateway = usePlayground((s) => s.gateway);
  const connect = usePlayground((s) => s.connect);
  if (gateway.status === 'checking' || gateway.status === 'idle') {
    return <p className="loading" data-testid="gateway-checking"><span className="spinner" aria-hidden="true" /> Connecting to the gateway…</p>;
  }
  if (gateway.status === 'unreachable' && gateway.error) {
    const error = everReady ? gateway.error : { ...gateway.error, title: 'The gateway is not reachable yet — finish the install first' };
    return (
      <ErrorCallout
        error={error}
        testId="gateway-error"
        actions={<button type="button" className="button" onClick={() => void connect()} data-testid="reconnect"><Plug size={16} /> Reconnect</button>}
      />
    );
  }
  return (
    <p className="pg-gateway-ok small" data-testid="gateway-ready">
      <span className="pg-dot pg-dot-ok" aria-hidden="true" /> Connected to the gateway at <code>{gateway.url}</code> · {gateway.models.length} model{gateway.models.length === 1 ? '' : 's'}
    </p>
  );
}

export function Playground() {
  const { gateway, turns, active, params, model, connect, send, stop, regenerate, clear } = usePlayground();
  const [everReady, setEverReady] = useState(false);
  const endRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const ready = gateway.status === 'ready';

  useEffect(() => {
    if (usePlayground.getState().gateway.status !== 'ready') void connect();
  }, [connect]);
  useEffect(() => {
    if (ready) setEverReady(true);
  }, [ready]);

  // Escape stops a streaming reply wherever the focus is on the page.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && usePlayground.getState().active) void usePlayground.getState().stop();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Follow the reply as it streams, unless the person scrolled up to read.
  const last = turns.at(-1);
  useEffect(() => {
    const list = listRef.current;
    if (!list) return;
    if (list.scrollHeight - list.scrollTop - list.clientHeight < 120) list.scrollTop = list.scrollHeight;
  }, [last?.content, turns.length]);

  const lastDone = last?.role === 'assistant' && last.status !== 'streaming' ? last : undefined;
  const disabledReason = !ready ? 'Connect to the gateway first' : !paramsValid(params) ? 'Fix the parameters first' : !model ? 'No model' : undefined;

  return (
    <div className="page-inner pg-page">
      <PageHeader eyebrow="Step 8" title="Playground">
        Chat with the model through the llm-d gateway and see which replica the endpoint picker chose for each reply.
      </PageHeader>

      <GatewayState everReady={everReady} />

      <div className="pg-chat">
        <section className="pg-conversation card" aria-labelledby="chat-heading">
          <div className="pg-conversation-head">
            <h2 id="chat-heading" className="section-title">Chat</h2>
            <span className="spacer" />
            <button type="button" className="pg-mini-button" onClick={clear} disabled={turns.length === 0 || !!active}>New conversation</button>
          </div>
          <div className="pg-scroll" ref={listRef} tabIndex={0} aria-label="Conversation">
            {turns.length === 0 ? (
              <p className="muted pg-empty">
                {ready ? 'Ask anything. Each reply shows how fast it came and which replica served it.' : 'The chat opens once the gateway answers.'}
              </p>
            ) : (
              <ol className="pg-turns" data-testid="turns">
                {turns.map((t, i) => (
                  <MessageView
                    key={t.id}
                    turn={t}
                    isLast={i === turns.length - 1}
                    actions={{ canRegenerate: ready && !active, onRegenerate: () => void regenerate(), onReconnect: () => void connect() }}
                  />
                ))}
              </ol>
            )}
            <div ref={endRef} />
          </div>
          <p className="visually-hidden" aria-live="polite">
            {active ? 'The reply is streaming.' : lastDone ? (lastDone.status === 'stopped' ? 'The reply was stopped.' : lastDone.status === 'failed' ? 'The reply failed.' : 'The reply is complete.') : ''}
          </p>
          <Composer streaming={!!active} disabled={!!disabledReason} disabledReason={disabledReason} onSend={send} onStop={() => void stop()} />
        </section>
        <ChatSettings />
      </div>

      {ready && <MetricsCharts />}

      <Experiment ready={ready} />
    </div>
  );
}
