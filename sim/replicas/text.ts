// Tokens and generated text for the simulated replicas. Like llm-d-inference-sim: `echo` repeats the last
// prompt, `random` draws from a fixed set of sentences. Tokens are whitespace-separated words — close
// enough for counting usage and enforcing max-model-len.

const SENTENCES = [
  'Hello! I am a simulated model served by llm-d on your local cluster.',
  'The endpoint picker chose this replica using queue depth and prefix affinity.',
  'Intelligent inference scheduling routes requests to the replica that can answer fastest.',
  'Kubernetes keeps the replicas running and the gateway forwards each request.',
  'This reply is streamed token by token, just like a real vLLM server.',
  'Prefix caching makes repeated prompts cheaper when they land on the same replica.',
  'I cannot browse the web, but I can tell you that the rehearsal is going well.',
  'Every token you see was produced by the simulated world in sim/replicas.',
];

export const tokenize = (text: string): string[] => text.match(/\S+\s*/g) ?? [];
export const countTokens = (text: string): number => tokenize(text).length;

export function generate(mode: 'echo' | 'random', prompt: string, maxTokens: number, seed: number): { tokens: string[]; finishReason: 'stop' | 'length' } {
  let words: string[];
  if (mode === 'echo') words = tokenize(prompt);
  else {
    words = [];
    const target = 12 + (seed % 37);
    for (let i = seed; words.length < target; i++) words.push(...tokenize(`${SENTENCES[i % SENTENCES.length]} `));
  }
  if (words.length > maxTokens) return { tokens: words.slice(0, maxTokens), finishReason: 'length' };
  return { tokens: words, finishReason: 'stop' };
}
