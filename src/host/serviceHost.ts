import type { HostMessage, ProviderId } from '../protocol';
import type { CatalogStore, ModelListStore } from './modelDirectory';
import type { EditorContext } from './prompts';
import type { ServiceSettings } from './serviceSettings';
import type { WorkspaceView } from '../tools/workspaceFiles';
import type { EditorPort } from '../tools/workspaceTools';
import type { Toolbox } from '../tools/toolbox';
import type { EditPort } from '../tools/edits';

/** What the service needs from VS Code, injected so it runs with real parts and no `vscode` in unit tests. */
export interface ServiceHost {
  settings(): ServiceSettings;
  log(line: string): void;
  /** `openBaseUrlSetting` is only asked for with a provider that has that setting (the router checks). */
  runCommand(command: 'setApiKey' | 'openBaseUrlSetting', provider?: ProviderId): void;
  openExternal(url: string): void;
  workspaceRoots?(): string[];
  editorContext?(): EditorContext | undefined;
  pickWorkspaceFiles?(): Promise<string[]>;
  openDocument?(content: string, language: string): Promise<void>;
  insertAtCursor?(text: string): Promise<boolean>;
  /** Shows `code` as a proposed edit of `path` (else the active editor's selection or file) in a diff to accept. */
  applyCode?(code: string, path?: string): Promise<void>;
  copyToClipboard?(text: string): Promise<void>;
  uiState?: { get(): { showControls?: boolean }; set(state: { showControls: boolean }): PromiseLike<void> };
  /** Where the providers' model lists are kept between sessions. */
  modelLists?: ModelListStore;
  /** Where the last fetched models.dev catalog is kept. */
  modelCatalog?: CatalogStore;
  /** The workspace and editor as the model's tools see them; without it no tools are offered. */
  toolContext?(): { view: WorkspaceView; editor?: EditorPort };
  /** Shows proposed edits as diffs and writes accepted ones; without it no edit tool is offered. */
  edits?: EditPort;
  /** Tools from outside Parley: VS Code's language-model tools (other extensions', MCP servers'). */
  vscodeTools?: Toolbox;
}

/** One connected webview (editor panel or sidebar view). */
export interface Client {
  /** May return a promise that settles once the message is on its way (VS Code's webview.postMessage does). */
  post(message: HostMessage): void | PromiseLike<unknown>;
  chatId?: string;
}
