import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../shared/api/settings.js';
import { formFromSettings } from '../../stores/settings.js';
import { ModelServerAdvanced } from './ModelServerAdvanced.js';
import { PlanOverrides } from './PlanOverrides.js';

const values = (over: Partial<Record<'memoryLimitGi' | 'kvCacheGiB' | 'decodeWaitMinutes', string>> = {}) => ({ ...formFromSettings(defaultSettings()), ...over });
const html = (props: Partial<Parameters<typeof ModelServerAdvanced>[0]> = {}) => renderToString(
  <ModelServerAdvanced values={values()} defaults={{ memoryLimitGi: 6, kvCacheGiB: 2, decodeWaitMinutes: 66 }} gpu={false} issueFor={() => undefined} onChange={() => {}} open={false} onToggle={() => {}} {...props} />,
);
/** The markup of one field's box (from its test id to the next field). */
const field = (out: string, key: string) => out.split('class="field model-server-field').find((part) => part.includes(`data-testid="model-server-${key}"`)) ?? '';

describe('Configure → Model → Advanced', () => {
  it('is a closed disclosure by default, a button that says it is collapsed and what it controls', () => {
    const out = html();
    expect(out).toMatch(/<button type="button" class="disclosure" aria-expanded="false" aria-controls="([^"]+)"/);
    const controls = /aria-controls="([^"]+)"/.exec(out)![1]!;
    expect(out).toMatch(new RegExp(`id="${controls}" class="advanced-body" hidden=""`));
    expect(out).toContain('the defaults');
  });

  it('shows each default as the empty box’s placeholder, with what the field does and what the doctor uses it for', () => {
    const out = html({ open: true });
    expect(out).not.toContain('hidden=""');
    expect(field(out, 'memoryLimitGi')).toContain('placeholder="6"');
    expect(field(out, 'memoryLimitGi')).toContain('Empty: 6 GiB, the model’s.');
    expect(field(out, 'memoryLimitGi')).toMatch(/OOMKilled/);
    expect(field(out, 'kvCacheGiB')).toContain('placeholder="2"');
    expect(field(out, 'decodeWaitMinutes')).toContain('placeholder="66"');
    expect(field(out, 'decodeWaitMinutes')).toMatch(/keep waiting/);
    // Nothing set: every reset is disabled.
    expect(out.match(/disabled="" aria-label="Reset/g)).toHaveLength(3);
  });

  it('a value set (by the doctor or a person) is shown, counted, marked as replacing the default and can be reset', () => {
    const out = html({ open: true, values: values({ memoryLimitGi: '8' }) });
    expect(out).toContain('1 of your own');
    const limit = field(out, 'memoryLimitGi');
    expect(limit).toContain('value="8"');
    expect(limit).toContain('Yours replaces the default.');
    expect(limit).not.toMatch(/disabled="" aria-label="Reset/);
    expect(field(out, 'kvCacheGiB')).toMatch(/disabled="" aria-label="Reset/);
  });

  it('says the schema’s issue beside its box and marks the box invalid', () => {
    const out = html({ open: true, values: values({ kvCacheGiB: '0' }), issueFor: (p) => (p === 'kvCacheGiB' ? { path: p, message: 'must be at least 1 GiB' } : undefined) });
    const kv = field(out, 'kvCacheGiB');
    expect(kv).toContain('aria-invalid="true"');
    expect(kv).toContain('role="alert"');
    expect(kv).toContain('must be at least 1 GiB');
    expect(kv).not.toContain('Yours replaces the default.');
  });

  it('with the GPU says the KV cache is not used', () => {
    expect(field(html({ open: true, gpu: true, defaults: { memoryLimitGi: 6 } }), 'kvCacheGiB')).toContain('Not used with the GPU');
  });
});

describe('the Plan’s summary of model-server overrides', () => {
  it('names nothing when all are the defaults, and each override when set', () => {
    expect(renderToString(<PlanOverrides settings={defaultSettings()} release={undefined} />)).toBe('');
    const out = renderToString(<PlanOverrides settings={{ ...defaultSettings(), memoryLimitGi: 10 }} release={undefined} />);
    expect(out).toContain('set by you or a doctor fix');
    expect(out).toContain('memory limit 10 GiB per replica (default 6 GiB)');
  });
});
