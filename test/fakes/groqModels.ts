// Groq's models endpoint and its model errors as Groq sends them (Nov 2026): OpenAI's list shape plus `active`,
// `context_window` and `max_completion_tokens`; speech, guard and TTS models listed beside the chat models.
import type { FakeReply } from './server';

export interface GroqListedModel { id: string; owned_by: string; context_window: number; max_completion_tokens: number; active?: boolean }

/** What GET /openai/v1/models lists today, chat and non-chat models alike. */
export const GROQ_MODELS_TODAY: GroqListedModel[] = [
  { id: 'openai/gpt-oss-120b', owned_by: 'OpenAI', context_window: 131_072, max_completion_tokens: 65_536 },
  { id: 'openai/gpt-oss-20b', owned_by: 'OpenAI', context_window: 131_072, max_completion_tokens: 65_536 },
  { id: 'qwen/qwen3.6-27b', owned_by: 'Alibaba Cloud', context_window: 131_072, max_completion_tokens: 40_960 },
  { id: 'groq/compound', owned_by: 'Groq', context_window: 131_072, max_completion_tokens: 8192 },
  { id: 'whisper-large-v3', owned_by: 'OpenAI', context_window: 448, max_completion_tokens: 448 },
  { id: 'whisper-large-v3-turbo', owned_by: 'OpenAI', context_window: 448, max_completion_tokens: 448 },
  { id: 'canopylabs/orpheus-v1-english', owned_by: 'Canopy Labs', context_window: 4000, max_completion_tokens: 50_000 },
  { id: 'meta-llama/llama-prompt-guard-2-86m', owned_by: 'Meta', context_window: 512, max_completion_tokens: 512 },
  { id: 'openai/gpt-oss-safeguard-20b', owned_by: 'OpenAI', context_window: 131_072, max_completion_tokens: 65_536 },
];

export function groqModelList(models: GroqListedModel[] = GROQ_MODELS_TODAY): FakeReply {
  return {
    kind: 'json',
    body: {
      object: 'list',
      data: models.map((m) => ({ id: m.id, object: 'model', created: 1_754_408_224, owned_by: m.owned_by, active: m.active ?? true, context_window: m.context_window, public_apps: null, max_completion_tokens: m.max_completion_tokens })),
    },
  };
}

/** A model Groq has retired: 400 with code `model_decommissioned` and a pointer to its deprecations page. */
export function groqModelDecommissioned(model: string): FakeReply {
  return {
    kind: 'json',
    status: 400,
    body: {
      error: {
        message: `The model \`${model}\` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.`,
        type: 'invalid_request_error',
        code: 'model_decommissioned',
      },
    },
  };
}

/** A model Groq never had: 404 `model_not_found`. */
export function groqModelNotFound(model: string): FakeReply {
  return {
    kind: 'json',
    status: 404,
    body: { error: { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', code: 'model_not_found' } },
  };
}
