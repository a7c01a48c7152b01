import type { HostMessage, WebviewMessage } from '../src/protocol';
import { parseHostMessage } from '../src/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function onHostMessage(handler: (message: HostMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const parsed = parseHostMessage(event.data);
    if (parsed.ok) handler(parsed.value);
    else console.warn(`Parley: ignored a malformed host message (${parsed.error})`);
  });
}

/** The webview's own state (kept by VS Code while the panel is hidden and across reloads); parts kept by different modules. */
export const viewState = {
  get<T>(): Partial<T> {
    return (api.getState() as Partial<T>) ?? {};
  },
  /** Replaces the parts named in `patch`, keeps the others. */
  update<T>(patch: Partial<T>): void {
    api.setState({ ...(api.getState() as object | undefined), ...patch });
  },
};
