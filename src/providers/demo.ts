import type { ChatConfig } from '../protocol';
import { describeCapabilities } from './capabilities';
import type { AdapterEvent, ProviderAdapter, ProviderDefinition, Turn } from './types';

export const DEMO_MODEL = 'parley-demo (offline)';
const WORD_DELAY_MS = 12;

/** The reply the offline demo model gives: an echo of the question and how to reach a real model. */
export function demoReply(turns: Turn[], config: ChatConfig): string {
  const last = [...turns].reverse().find((t) => t.role === 'user');
  const question = (last?.text ?? '').trim();
  const quoted = question.length > 400 ? `${question.slice(0, 400)}…` : question;
  const images = last?.images?.length ? `\n\nYou attached ${last.images.length} image(s); a vision model would look at them.` : '';
  return [
    `You said:\n\n> ${quoted.split('\n').join('\n> ') || '(nothing)'}`,
    images,
    `\n\nThis is **Parley's offline demo model**: it only echoes what you write, so you can see the panel work without a key. ` +
      `No request left your machine.`,
    `\n\nTo talk to a real model, run **Parley: Set API Key** from the command palette (or set \`GROQ_API_KEY\`), ` +
      `then choose *Groq* in the provider list above.`,
    `\n\n\`\`\`text\nmessages so far: ${turns.length}\nsystem message: ${config.system ? 'set' : 'none'}\n\`\`\``,
  ].join('');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() { clearTimeout(timer); signal.removeEventListener('abort', done); resolve(); }
  });
}

const demoAdapter: ProviderAdapter = {
  async *stream(turns, config, signal): AsyncIterable<AdapterEvent> {
    const words = demoReply(turns, config).match(/\s*\S+/g) ?? [];
    for (const word of words) {
      await sleep(WORD_DELAY_MS, signal);
      if (signal.aborted) return;
      yield { type: 'text-delta', text: word };
    }
    yield { type: 'usage', usage: { inputTokens: turns.reduce((n, t) => n + t.text.split(/\s+/).length, 0), outputTokens: words.length } };
    yield { type: 'finish', reason: 'stop' };
  },
};

export const demo: ProviderDefinition = {
  id: 'demo',
  label: 'Demo (offline)',
  keyEnv: [],
  needsKey: false,
  builtinModels: [DEMO_MODEL],
  capabilities: () =>
    describeCapabilities({ system: null }, {
      maxTokens: 'The demo model only echoes; it has no sampling settings.',
      temperature: 'The demo model only echoes; it has no sampling settings.',
      topP: 'The demo model only echoes; it has no sampling settings.',
      topK: 'The demo model only echoes; it has no sampling settings.',
      frequencyPenalty: 'The demo model only echoes; it has no sampling settings.',
      presencePenalty: 'The demo model only echoes; it has no sampling settings.',
      stop: 'The demo model only echoes; it has no sampling settings.',
      seed: 'The demo model only echoes; it has no sampling settings.',
      jsonMode: 'The demo model only echoes; it has no JSON mode.',
      reasoningEffort: 'The demo model does not reason.',
      thinkingBudget: 'The demo model does not reason.',
    }, { vision: true, reasoning: false, toolCalls: false }),
  createAdapter: async () => demoAdapter,
};
