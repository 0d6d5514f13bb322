// Model, system prompt and sampling parameters (each with one line of help), and the export buttons.
import { useId } from 'react';
import { usePlayground, type Params } from '../../stores/playground.js';
import { toJson, toMarkdown } from '../../playground/conversation.js';
import { paramValid } from '../../playground/params.js';
import { Download } from '../Icons.js';

const PARAMS: Array<{ key: keyof Params; label: string; min: number; max: number; step: number; help: string }> = [
  { key: 'temperature', label: 'Temperature', min: 0, max: 2, step: 0.1, help: 'Randomness: 0 always picks the likeliest word, higher values vary more.' },
  { key: 'maxTokens', label: 'Max tokens', min: 1, max: 32768, step: 1, help: 'The longest reply, in tokens; the reply stops there.' },
  { key: 'topP', label: 'Top p', min: 0.01, max: 1, step: 0.01, help: 'Only the likeliest words adding up to this share are considered.' },
];

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ParamField({ p }: { p: (typeof PARAMS)[number] }) {
  const id = useId();
  const value = usePlayground((s) => s.params[p.key]);
  const setParam = usePlayground((s) => s.setParam);
  const invalid = !paramValid(p.key, value);
  return (
    <div className="pg-field">
      <label htmlFor={id}>{p.label}</label>
      <input
        id={id}
        type="number"
        min={p.min}
        max={p.max}
        step={p.step}
        value={Number.isFinite(value) ? value : ''}
        onChange={(e) => setParam(p.key, e.target.value === '' ? Number.NaN : Number(e.target.value))}
        aria-describedby={`${id}-help`}
        aria-invalid={invalid}
        data-testid={`param-${p.key}`}
      />
      <p id={`${id}-help`} className="pg-help">{invalid ? `Between ${p.min} and ${p.max}. ` : ''}{p.help}</p>
    </div>
  );
}

export function ChatSettings() {
  const { gateway, model, setModel, systemPrompt, setSystemPrompt, turns, params, active } = usePlayground();
  const exportInput = () => ({ ...(model ? { model } : {}), systemPrompt, params, turns, exportedAt: new Date() });
  const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
  return (
    <aside className="pg-settings card" aria-label="Chat settings">
      <div className="pg-field">
        <label htmlFor="pg-model">Model</label>
        <select id="pg-model" value={model ?? ''} onChange={(e) => setModel(e.target.value)} disabled={gateway.models.length === 0} data-testid="model-picker">
          {gateway.models.length === 0 && <option value="">No model yet</option>}
          {gateway.models.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
        <p className="pg-help">From the gateway’s /v1/models.</p>
      </div>
      <div className="pg-field">
        <label htmlFor="pg-system">System prompt</label>
        <textarea id="pg-system" rows={3} value={systemPrompt} onChange={(e) => setSystemPrompt(e.target.value)} placeholder="Optional: how the assistant should behave" aria-describedby="pg-system-help" />
        <p id="pg-system-help" className="pg-help">Sent first with every request.</p>
      </div>
      <div className="pg-params">
        {PARAMS.map((p) => <ParamField key={p.key} p={p} />)}
      </div>
      <div className="pg-export">
        <span className="pg-export-label">Export the conversation</span>
        <div className="pg-export-buttons">
          <button type="button" className="button" disabled={turns.length === 0 || !!active} onClick={() => download(`llm-d-chat-${stamp()}.md`, 'text/markdown', toMarkdown(exportInput()))}>
            <Download size={16} /> Markdown
          </button>
          <button type="button" className="button" disabled={turns.length === 0 || !!active} onClick={() => download(`llm-d-chat-${stamp()}.json`, 'application/json', toJson(exportInput()))}>
            <Download size={16} /> JSON
          </button>
        </div>
      </div>
    </aside>
  );
}
