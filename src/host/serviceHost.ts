import type { HostMessage, ProviderId } from '../protocol';
import type { CatalogStore, ModelListStore } from './modelDirectory';
import type { EditorContext } from './prompts';
import type { ServiceSettings } from './serviceSettings';
import type { WorkspaceView } from '../tools/workspaceFiles';
import type { EditorPort } from '../tools/workspaceTools';

/** What the service needs from VS Code, injected so it runs with real parts and no `vscode` in unit tests. */
export interface ServiceHost {
  settings(): ServiceSettings;
  log(line: string): void;
  runCommand(command: 'setApiKey', provider?: ProviderId): void;
  openExternal(url: string): void;
  workspaceRoots?(): string[];
  editorContext?(): EditorContext | undefined;
  pickWorkspaceFiles?(): Promise<string[]>;
  openDocument?(content: string, language: string): Promise<void>;
  insertAtCursor?(text: string): Promise<boolean>;
  copyToClipboard?(text: string): Promise<void>;
  uiState?: { get(): { showControls?: boolean }; set(state: { showControls: boolean }): PromiseLike<void> };
  /** Where the providers' model lists are kept between sessions. */
  modelLists?: ModelListStore;
  /** Where the last fetched models.dev catalog is kept. */
  modelCatalog?: CatalogStore;
  /** What the workspace tools see and ask of VS Code (folders, files.exclude, Problems, editor, git), built per call. */
  toolContext?(): { view: WorkspaceView; editor?: EditorPort };
}

/** One connected webview (editor panel or sidebar view). */
export interface Client {
  /** May return a promise that settles once the message is on its way (VS Code's webview.postMessage does). */
  post(message: HostMessage): void | PromiseLike<unknown>;
  chatId?: string;
}
