// Host → webview messages for the benches (checked against the protocol's schema before use).
import { parseHostMessage, type ChatMessage, type HostMessage, type ProviderInfo, type StreamEvent } from '../../src/protocol';

export const CHAT_ID = 'bench-chat';
const T0 = Date.UTC(2025, 5, 1, 12);

const PROVIDERS: ProviderInfo[] = [
  { id: 'demo', label: 'Demo (offline)', models: ['parley-demo (offline)'], keySet: true, needsKey: false },
  { id: 'groq', label: 'Groq', models: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'], keySet: true, needsKey: true, keySource: 'secret-storage' },
];

export function state(messages: ChatMessage[], activeRequest?: string): HostMessage {
  return {
    type: 'state',
    chat: {
      id: CHAT_ID,
      title: 'Bench chat',
      messages,
      config: {
        provider: 'groq', model: 'llama-3.3-70b-versatile', system: 'You are terse.', maxTokens: 4096, temperature: 0.5, topP: 1, topK: null,
        frequencyPenalty: 0, presencePenalty: 0, stop: [], seed: null, jsonMode: false, reasoningEffort: null, thinkingBudget: null,
      },
      createdAt: T0,
      updatedAt: T0,
    },
    chats: [{ id: CHAT_ID, title: 'Bench chat', updatedAt: T0, messageCount: messages.length }],
    providers: PROVIDERS,
    capabilities: {
      controls: { system: undefined, maxTokens: { min: 1, max: 32768, step: 1 }, temperature: { min: 0, max: 2, step: 0.05 } },
      unsupported: { topK: 'Groq does not accept top_k.' },
      vision: false,
      reasoning: false,
      contextWindow: 131072,
    },
    ...(activeRequest ? { activeRequest } : {}),
    pendingAttachments: [],
    prompts: [],
    ui: { showControls: false },
  };
}

export const user = (id: string, text: string): ChatMessage => ({ id, role: 'user', text, createdAt: T0 });
export const assistant = (id: string, text: string, status: ChatMessage['status'] = 'done'): ChatMessage =>
  ({ id, role: 'assistant', text, provider: 'groq', model: 'llama-3.3-70b-versatile', status, createdAt: T0 });

export function stream(requestId: string, seq: number, event: StreamEvent): HostMessage {
  return { type: 'stream', chatId: CHAT_ID, requestId, seq, event };
}

/** JSON round trip plus schema check: what VS Code would deliver. */
export function wire<T extends HostMessage>(m: T): T {
  const json = JSON.parse(JSON.stringify(m));
  const parsed = parseHostMessage(json);
  if (!parsed.ok) throw new Error(`bench built an invalid host message: ${parsed.error}`);
  return json;
}
