// The panel's mirror of the host's state, shared by the panel's modules (the host owns the truth).
import type { PanelModel } from '../src/panelModel';
import type { AttachmentInfo, Capabilities, Chat, ChatSummary, ControlName, ModelGone, PromptInfo, ProviderInfo, ToolInfo } from '../src/protocol';

export interface PanelState {
  chat?: Chat;
  chats: ChatSummary[];
  providers: ProviderInfo[];
  capabilities?: Capabilities;
  /** The chat's model is no longer in its provider's list. */
  modelGone?: ModelGone;
  pendingAttachments: AttachmentInfo[];
  prompts: PromptInfo[];
  /** The tools the host offers (the chat's picker turns them on and off). */
  tools?: ToolInfo[];
  showControls: boolean;
  /** The request whose events this panel shows; events of any other request are dropped. */
  requestId?: string;
  lastSeq: number;
}

export const state: PanelState = { chats: [], providers: [], pendingAttachments: [], prompts: [], showControls: false, lastSeq: -1 };

/** The host's state as this panel holds it, for the shared reducer (`applyHostMessage`); undefined before the first. */
export function panelModel(): PanelModel | undefined {
  if (!state.chat || !state.capabilities) return undefined;
  const { chat, chats, providers, capabilities, modelGone, pendingAttachments, prompts, tools, showControls, requestId } = state;
  return { chat, chats, providers, capabilities, modelGone, pendingAttachments, prompts, tools, activeRequest: requestId, ui: { showControls } };
}

/** Takes the data of `model`; the request id and the UI state are the caller's (they need more than a copy). */
export function adopt(model: PanelModel): void {
  Object.assign(state, {
    chat: model.chat,
    chats: model.chats,
    providers: model.providers,
    capabilities: model.capabilities,
    modelGone: model.modelGone,
    pendingAttachments: model.pendingAttachments,
    prompts: model.prompts,
    tools: model.tools,
  });
}

export function streaming(): boolean {
  return state.requestId !== undefined;
}

export function currentProvider(): ProviderInfo | undefined {
  return state.providers.find((p) => p.id === state.chat?.config.provider);
}

/** undefined when the current model takes the control, otherwise why it does not. */
export function unsupportedReason(name: ControlName): string | undefined {
  const caps = state.capabilities;
  if (!caps) return 'Waiting for the model’s capabilities…';
  if (name in caps.controls) return undefined;
  const reason = caps.unsupported[name];
  if (reason) return reason;
  return `${state.chat?.config.model || 'This model'} does not take this setting.`;
}

/** Why the message cannot be sent as it is (undefined: it can). */
export function sendBlockedReason(): string | undefined {
  const chat = state.chat;
  if (!chat) return 'Loading…';
  const provider = currentProvider();
  // Sending would only add a failed reply: say what is missing instead (the keys area and Set API Key fix it).
  if (provider?.needsKey && !provider.keySet) return `${provider.label} has no API key: set one (key button above), or pick another provider`;
  if (state.pendingAttachments.some((a) => a.kind === 'image') && state.capabilities && !state.capabilities.vision) {
    return `${chat.config.model || 'This model'} cannot see images`;
  }
  return undefined;
}
