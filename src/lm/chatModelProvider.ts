// Parley's providers as VS Code language models (vscode.lm.registerLanguageModelChatProvider): one vendor per
// provider ("parley-groq", …), so VS Code's model picker and Language Models editor group each provider's models
// under its own name. Same keys, adapters, live model lists and catalog as the panel; no state of its own.
import * as vscode from 'vscode';
import type { ChatConfig, ProviderId } from '../protocol';
import { applyCapabilities } from '../providers/capabilities';
import { classifyError, type ClassifiedError } from '../providers/errors';
import { providerById } from '../providers/registry';
import type { ProviderDefinition } from '../providers/types';
import { createAdapterFor, type AdapterSettings } from '../host/adapterFactory';
import type { KeyStore } from '../host/keys';
import type { ModelDirectory } from '../host/modelDirectory';
import { estimateTokens, toTurns } from './requestMessages';

/** Providers offered to VS Code (cloud providers with keys; local servers stay in the panel). */
export const LM_PROVIDERS: readonly ProviderId[] = ['groq', 'openai', 'anthropic', 'google', 'cerebras', 'xai', 'openrouter'];
export const lmVendor = (provider: ProviderId) => `parley-${provider}`;

/** Used when neither the provider nor the catalog states the model's limits. */
const FALLBACK_CONTEXT = 8192;
const FALLBACK_OUTPUT = 4096;
const LIST_WAIT_MS = 5000;

export interface LmDeps {
  keys: KeyStore;
  models: ModelDirectory;
  settings(): AdapterSettings & { defaultConfig: Omit<ChatConfig, 'provider' | 'model'>; lmProviders: string[] };
  log(line: string): void;
}

type ParleyModel = vscode.LanguageModelChatInformation & { provider: ProviderId };

export class ParleyChatModelProvider implements vscode.LanguageModelChatProvider<ParleyModel> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;

  constructor(private readonly definition: ProviderDefinition, private readonly deps: LmDeps) {}

  /** Keys or settings changed: VS Code asks for the models again. */
  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  private exposed(): boolean {
    const chosen = this.deps.settings().lmProviders;
    return !chosen.length || chosen.includes(this.definition.id);
  }

  async provideLanguageModelChatInformation(options: vscode.PrepareLanguageModelChatModelOptions): Promise<ParleyModel[]> {
    const { id } = this.definition;
    if (!this.exposed()) return [];
    if (!(await this.deps.keys.has(id))) {
      if (options.silent) return [];
      // Asked by the user (e.g. the Language Models editor): the same key flow as Parley: Set API Key.
      await vscode.commands.executeCommand('parley.setApiKey', id);
      if (!(await this.deps.keys.has(id))) return [];
    }
    if (!this.deps.models.list(id)) await this.listModels();
    await this.deps.models.loadCatalog();
    return this.deps.models.ids(id).map((model) => this.describe(model));
  }

  private async listModels(): Promise<void> {
    const { id, label } = this.definition;
    try {
      const adapter = await createAdapterFor(this.definition, this.deps.keys, this.deps.settings());
      if (adapter.listModels) await this.deps.models.setList(id, await adapter.listModels(AbortSignal.timeout(LIST_WAIT_MS)));
    } catch (err) {
      this.deps.log(`Could not list ${label} models for VS Code: ${this.classify(err, '').message}`);
    }
  }

  private describe(model: string): ParleyModel {
    const caps = this.deps.models.capabilities(this.definition.id, model);
    const maxOutput = caps.maxOutput ?? caps.controls.maxTokens?.max ?? FALLBACK_OUTPUT;
    const context = caps.contextWindow ?? FALLBACK_CONTEXT;
    const price = caps.price ? ` · $${caps.price.input} in / $${caps.price.output} out per million tokens` : '';
    return {
      provider: this.definition.id,
      id: model,
      name: model,
      family: model,
      version: model,
      detail: this.definition.label,
      tooltip: `${this.definition.label} through Parley${price}`,
      // VS Code adds input and output to show the context size: the window (which counts both) is shared.
      maxInputTokens: Math.max(1, context > maxOutput ? context - maxOutput : context),
      maxOutputTokens: Math.min(maxOutput, context),
      // Tool calling unless the catalog says the model has none.
      capabilities: { imageInput: caps.vision, toolCalling: caps.toolCalls !== false },
    };
  }

  async provideLanguageModelChatResponse(
    model: ParleyModel,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      const settings = this.deps.settings();
      const { turns, system } = toTurns(messages);
      await this.deps.models.loadCatalog();
      const caps = this.deps.models.capabilities(this.definition.id, model.id);
      const requested: ChatConfig = { ...settings.defaultConfig, ...fromModelOptions(options.modelOptions), system, provider: this.definition.id, model: model.id };
      const adapter = await createAdapterFor(this.definition, this.deps.keys, settings);
      const tools = options.tools?.map((t) => ({ name: t.name, description: t.description, parameters: (t.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} } }));
      // Tool calls stream in pieces; VS Code takes each call whole, with its input parsed.
      const calls = new Map<string, { name: string; args: string }>();
      for await (const event of adapter.stream(turns, applyCapabilities(requested, caps), controller.signal, { tools })) {
        if (token.isCancellationRequested) break;
        if (event.type === 'text-delta') progress.report(new vscode.LanguageModelTextPart(event.text));
        else if (event.type === 'tool-call-start') calls.set(event.id, { name: event.name, args: '' });
        else if (event.type === 'tool-call-delta') calls.get(event.id)!.args += event.text;
        else if (event.type === 'tool-call-end') {
          const call = calls.get(event.id);
          calls.delete(event.id);
          if (call) progress.report(new vscode.LanguageModelToolCallPart(event.id, call.name, parseInput(call.args)));
        }
      }
    } catch (err) {
      if (token.isCancellationRequested) return;
      throw toLanguageModelError(this.classify(err, model.id));
    } finally {
      cancel.dispose();
    }
  }

  async provideTokenCount(_model: ParleyModel, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    return estimateTokens(text);
  }

  private classify(err: unknown, model: string): ClassifiedError {
    const settings = this.deps.settings();
    const base = settings.baseUrl(this.definition.id) ?? this.definition.defaultBaseUrl ?? '';
    let host = base;
    try {
      host = new URL(base).host;
    } catch {
      // keep the text
    }
    return classifyError(err, { provider: this.definition.label, model, host });
  }
}

/** A call's arguments as an object; text that is not a JSON object is passed on under `_raw` for the caller to see. */
function parseInput(args: string): object {
  if (!args.trim()) return {};
  try {
    const value: unknown = JSON.parse(args);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : { _raw: args };
  } catch {
    return { _raw: args };
  }
}

/** The sampling options a caller may pass in `modelOptions`, under the names callers use. */
function fromModelOptions(options: { readonly [name: string]: unknown } | undefined): Partial<ChatConfig> {
  if (!options) return {};
  const num = (...names: string[]) => names.map((n) => options[n]).find((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const out: Partial<ChatConfig> = {};
  const temperature = num('temperature');
  if (temperature !== undefined) out.temperature = temperature;
  const topP = num('topP', 'top_p');
  if (topP !== undefined) out.topP = topP;
  const maxTokens = num('maxTokens', 'max_tokens', 'maxOutputTokens');
  if (maxTokens !== undefined) out.maxTokens = maxTokens;
  const stop = options.stop;
  if (Array.isArray(stop) && stop.every((s) => typeof s === 'string')) out.stop = stop.slice(0, 16);
  return out;
}

/** The panel's specific messages, as the error kinds VS Code's callers check (`error.code`). */
function toLanguageModelError(error: ClassifiedError): vscode.LanguageModelError {
  const message = error.message;
  if (error.kind === 'no-key' || error.kind === 'auth' || error.kind === 'permission' || error.kind === 'quota') return vscode.LanguageModelError.NoPermissions(message);
  if (error.kind === 'model') return vscode.LanguageModelError.NotFound(message);
  return new vscode.LanguageModelError(message);
}

/** Registers one provider per vendor; returns them so key changes can ask VS Code to list models again. */
export function registerChatModelProviders(deps: LmDeps): { providers: ParleyChatModelProvider[]; disposables: vscode.Disposable[] } {
  const providers: ParleyChatModelProvider[] = [];
  const disposables: vscode.Disposable[] = [];
  for (const id of LM_PROVIDERS) {
    const definition = providerById(id);
    if (!definition) continue;
    const provider = new ParleyChatModelProvider(definition, deps);
    providers.push(provider);
    disposables.push(provider, vscode.lm.registerLanguageModelChatProvider(lmVendor(id), provider));
  }
  return { providers, disposables };
}
