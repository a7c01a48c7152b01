// Host messages for the webview tests: a state builder and stream helpers. Every message goes through the
// protocol's schema in Panel.deliver, so these stay honest when the protocol changes.
import type { Capabilities, Chat, ChatConfig, ChatMessage, HostMessage, PromptInfo, ProviderInfo, StreamEvent, ToolInfo } from '../../src/protocol';

type StateMessage = Extract<HostMessage, { type: 'state' }>;

export const CHAT_ID = 'chat-1';
export const OTHER_CHAT_ID = 'chat-2';

export const PROVIDERS: ProviderInfo[] = [
  { id: 'demo', label: 'Demo (offline)', models: ['parley-demo (offline)'], keySet: true, needsKey: false },
  { id: 'groq', label: 'Groq', models: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant', 'openai/gpt-oss-120b', 'qwen/qwen3-32b'], keySet: true, needsKey: true, keySource: 'secret-storage' },
  { id: 'openai', label: 'OpenAI', models: ['gpt-4.1', 'gpt-4.1-mini', 'o4-mini'], keySet: true, needsKey: true, keySource: 'environment' },
  { id: 'anthropic', label: 'Anthropic', models: ['claude-sonnet-4-5'], keySet: false, needsKey: true },
  { id: 'ollama', label: 'Ollama', models: ['llama3.2'], keySet: true, needsKey: false, baseUrl: 'http://localhost:11434/v1' },
];

const DEMO_REASON = 'The demo model only echoes; it has no sampling settings.';

/** Groq's llama-3.3-70b: sampling controls with ranges; no top K, reasoning effort or thinking budget. */
export const GROQ_CAPS: Capabilities = {
  controls: {
    system: null,
    maxTokens: { min: 1, max: 32_768, step: 1 },
    temperature: { min: 0, max: 2, step: 0.05 },
    topP: { min: 0, max: 1, step: 0.01 },
    frequencyPenalty: { min: -2, max: 2, step: 0.1 },
    presencePenalty: { min: -2, max: 2, step: 0.1 },
    stop: { min: 0, max: 4 },
    seed: { min: -9_007_199_254_740_991, max: 9_007_199_254_740_991, step: 1 },
    jsonMode: null,
  },
  unsupported: {
    topK: 'Groq does not accept top_k.',
    reasoningEffort: 'llama-3.3-70b-versatile does not reason; reasoning effort applies to reasoning models only.',
    thinkingBudget: 'Groq has no thinking budget; use reasoning effort on reasoning models.',
  },
  vision: false,
  reasoning: false,
  contextWindow: 131_072,
};

export const VISION_CAPS: Capabilities = { ...GROQ_CAPS, vision: true };

export const DEMO_CAPS: Capabilities = {
  controls: { system: null },
  unsupported: {
    maxTokens: DEMO_REASON, temperature: DEMO_REASON, topP: DEMO_REASON, topK: DEMO_REASON, frequencyPenalty: DEMO_REASON,
    presencePenalty: DEMO_REASON, stop: DEMO_REASON, seed: DEMO_REASON,
    jsonMode: 'The demo model only echoes; it has no JSON mode.',
    reasoningEffort: 'The demo model does not reason.', thinkingBudget: 'The demo model does not reason.',
  },
  vision: true,
  reasoning: false,
};

export const CONFIG: ChatConfig = {
  provider: 'groq',
  model: 'llama-3.3-70b-versatile',
  system: 'You are a helpful assistant inside VS Code. Answer concisely; use Markdown and fenced code blocks.',
  maxTokens: 1024,
  temperature: 0.5,
  topP: 1,
  topK: null,
  frequencyPenalty: 0,
  presencePenalty: 0,
  stop: [],
  seed: null,
  jsonMode: false,
  reasoningEffort: null,
  thinkingBudget: null,
};

/** Named prompts (`/tests`) and unnamed ones (plain strings in the setting), as the host sends them. */
export const PROMPTS: PromptInfo[] = [
  { text: 'Explain {{selection}} in {{file}}' },
  { name: 'tests', description: 'Write unit tests for the selection', text: 'Write unit tests for {{selection}} using {{framework}}' },
  { text: 'Translate this to {{language_name}} in a {{tone}} tone: {{selection}}' },
  { name: 'summary', description: 'Summarize the conversation', text: 'Summarize the conversation so far' },
  { text: 'Find bugs in {{selection}}' },
];

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

export function user(id: string, text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id, role: 'user', text, createdAt: T0, ...extra };
}

export function assistant(id: string, text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id, role: 'assistant', text, provider: 'groq', model: 'llama-3.3-70b-versatile', status: 'done', createdAt: T0, ...extra };
}

export interface StateOptions {
  chat?: Partial<Chat>;
  config?: Partial<ChatConfig>;
  messages?: ChatMessage[];
  capabilities?: Capabilities;
  activeRequest?: string;
  pendingAttachments?: StateMessage['pendingAttachments'];
  prompts?: PromptInfo[];
  showControls?: boolean;
  providers?: ProviderInfo[];
  chats?: StateMessage['chats'];
  modelGone?: StateMessage['modelGone'];
  tools?: ToolInfo[];
}

export function stateMessage(o: StateOptions = {}): StateMessage {
  const messages = o.messages ?? [];
  const chat: Chat = {
    id: CHAT_ID,
    title: messages.length ? 'Debounce in TypeScript' : 'New chat',
    messages,
    config: { ...CONFIG, ...o.config },
    createdAt: T0,
    updatedAt: T0,
    ...o.chat,
  };
  return {
    type: 'state',
    chat,
    chats: o.chats ?? [
      { id: chat.id, title: chat.title, updatedAt: Date.now() - 60_000, messageCount: messages.length },
      { id: OTHER_CHAT_ID, title: 'Regex for ISO dates', updatedAt: Date.now() - 3 * 3600_000, messageCount: 4 },
      { id: 'chat-3', title: 'Why is my build slow?', updatedAt: Date.now() - 2 * 86_400_000, messageCount: 12 },
    ],
    providers: o.providers ?? PROVIDERS,
    capabilities: o.capabilities ?? (chat.config.provider === 'demo' ? DEMO_CAPS : GROQ_CAPS),
    ...(o.activeRequest ? { activeRequest: o.activeRequest } : {}),
    pendingAttachments: o.pendingAttachments ?? [],
    prompts: o.prompts ?? PROMPTS,
    ui: { showControls: o.showControls ?? false },
    ...(o.modelGone && { modelGone: o.modelGone }),
    ...(o.tools && { tools: o.tools }),
  };
}

/** Builds the stream messages of one request, numbering them from `seq`. */
export function streamOf(requestId: string, events: StreamEvent[], seq = 0, chatId = CHAT_ID): HostMessage[] {
  return events.map((event, i) => ({ type: 'stream', chatId, requestId, seq: seq + i, event }));
}

export const text = (t: string): StreamEvent => ({ type: 'text-delta', text: t });
export const reasoning = (t: string): StreamEvent => ({ type: 'reasoning-delta', text: t });

export const CODE_REPLY = [
  'Here is a small, typed `debounce`:',
  '',
  '```ts',
  'export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms = 200) {',
  '  let timer: ReturnType<typeof setTimeout> | undefined;',
  '  return (...args: A) => {',
  '    clearTimeout(timer);',
  '    timer = setTimeout(() => fn(...args), ms);',
  '  };',
  '}',
  '```',
  '',
  'Each call **restarts** the timer, so `fn` runs once the calls stop for `ms` milliseconds.',
].join('\n');

export const REASONING_TEXT = 'The user wants a debounce helper. Keep it generic over the argument list, clear the previous timer on each call, and explain the behaviour in one sentence.';

/** Splits `s` into chunks of `size` characters (a stream's deltas). */
export function chunks(s: string, size = 7): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}
