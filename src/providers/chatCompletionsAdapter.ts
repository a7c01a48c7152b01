// The adapter for any server speaking OpenAI's chat completions (OpenAI, the OpenAI-compatible presets), over the
// wire mapping in chatCompletions.ts.
import type { OpenAI as OpenAIClient } from 'openai';
import type { ChatConfig } from '../protocol';
import { readChunks, readCompletion, toChatMessages, toChatTools } from './chatCompletions';
import { retryAwareFetch } from './fetch';
import { configuredSchema } from './jsonSchema';
import type { AdapterOptions, ProviderAdapter } from './types';

/** The SDK insists on some key; keyless local servers (Ollama, LM Studio) get this instead, and ignore it. */
const KEYLESS_PLACEHOLDER = 'not-needed';

export interface ChatCompletionsSpec {
  /** Used when the user set no base URL. */
  defaultBaseUrl: string;
  /** The request fields besides model, messages and stream, under this provider's own names. */
  requestBody(config: ChatConfig): Record<string, unknown>;
  /** Ask for the final usage chunk (`stream_options.include_usage`); off for servers that reject the field. */
  includeUsage: boolean;
  /** The server cannot stream JSON mode: send it unstreamed and deliver the reply as one delta. */
  jsonModeUnstreamed?: boolean;
  /** Which ids from the models endpoint are chat models. */
  keepModel?(id: string): boolean;
}

/** An adapter for any server speaking OpenAI's chat completions, through the `openai` SDK (loaded lazily). */
export async function createChatCompletionsAdapter(options: AdapterOptions, spec: ChatCompletionsSpec): Promise<ProviderAdapter> {
  const { OpenAI } = await import('openai');
  const client = new OpenAI({
    apiKey: options.apiKey || KEYLESS_PLACEHOLDER,
    // Explicit, so nothing from OPENAI_* environment variables (base URL, organization, project, admin key)
    // reaches another provider's server.
    baseURL: options.baseUrl || spec.defaultBaseUrl,
    adminAPIKey: null,
    organization: null,
    project: null,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    fetch: retryAwareFetch(options.onRetryWait, options.maxRetries),
  });
  return {
    async *stream(turns, config, signal, options) {
      const body = { ...spec.requestBody(config), model: config.model, messages: toChatMessages(turns, config.system), ...toChatTools(options?.tools) };
      if (config.jsonMode && spec.jsonModeUnstreamed) {
        const completion = await client.chat.completions.create({ ...body, stream: false } as OpenAIClient.Chat.ChatCompletionCreateParamsNonStreaming, { signal });
        yield* readCompletion(completion);
        return;
      }
      const params = { ...body, stream: true, ...(spec.includeUsage && { stream_options: { include_usage: true } }) };
      // 'events': every chunk reaches readChunks, an error chunk too, so the usage it carries is kept
      // (by default the SDK throws on it and drops the rest of the chunk).
      const stream = await client.chat.completions.create(params as OpenAIClient.Chat.ChatCompletionCreateParamsStreaming, { signal, __streamMode: 'events' });
      yield* readChunks(stream, signal);
    },
    async listModels(signal) {
      const ids: string[] = [];
      for await (const model of client.models.list({ signal })) ids.push(model.id);
      return ids.filter((id) => spec.keepModel?.(id) ?? true).map((id) => ({ id }));
    },
  };
}

/** The controls every chat-completions server names the same way. `maxTokensField` differs between servers. */
export function standardBody(config: ChatConfig, maxTokensField: 'max_tokens' | 'max_completion_tokens'): Record<string, unknown> {
  const schema = configuredSchema(config);
  return {
    ...(config.maxTokens != null && { [maxTokensField]: config.maxTokens }),
    ...(config.temperature != null && { temperature: config.temperature }),
    ...(config.topP != null && { top_p: config.topP }),
    ...(config.frequencyPenalty != null && { frequency_penalty: config.frequencyPenalty }),
    ...(config.presencePenalty != null && { presence_penalty: config.presencePenalty }),
    ...(config.stop.length > 0 && { stop: config.stop }),
    ...(config.seed != null && { seed: config.seed }),
    ...(config.jsonMode && { response_format: { type: 'json_object' } }),
    ...(schema && { response_format: { type: 'json_schema', json_schema: { name: 'reply', schema } } }),
  };
}
