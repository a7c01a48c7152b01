// A connected webview for the benches: it holds what a panel holds (the webview's own reducer over the host's
// messages), can serialize each post as webview.postMessage does, and answers each post with a delivery promise
// settled on the next turn (which drives the service's flow control). The reducer is the webview's work, not the
// host's: the thread time it takes is counted apart (`panelCpuMs`) so host measures can leave it out.
import type { Client } from '../../src/host/chatService';
import { applyHostMessage, type PanelModel } from '../../src/panelModel';
import type { HostMessage } from '../../src/protocol';

export class BenchPanel implements Client {
  chatId?: string;
  posted = 0;
  /** Main-thread CPU time spent applying posts as the webview would (it runs in another process in VS Code). */
  panelCpuMs = 0;
  model?: PanelModel;
  private waiters: Array<() => void> = [];

  constructor(private readonly serialize = true) {}

  post(message: HostMessage): Promise<boolean> {
    this.posted++;
    if (this.serialize) JSON.stringify(message);
    const before = process.threadCpuUsage();
    this.model = applyHostMessage(this.model, message);
    const spent = process.threadCpuUsage(before);
    this.panelCpuMs += (spent.user + spent.system) / 1000;
    if (message.type === 'state') this.waiters.splice(0).forEach((w) => w());
    return new Promise((resolve) => setImmediate(() => resolve(true)));
  }

  /** What the panel holds; throws before the first state. */
  get state(): PanelModel {
    if (!this.model) throw new Error('no state posted');
    return this.model;
  }

  /** Resolves at the next whole state (a panel opening or switching chats). */
  nextState(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
