// One tool call as a card inside a reply: the tool's name, its status in words (and an icon), how long it ran,
// its arguments (pretty JSON, collapsed) and its result (collapsed, its size in the summary). A call waiting for
// approval shows Allow once / Allow for this chat / Deny; the panel's click handler posts `approveTool`.
// The card is built once and `update` sets every part of it, so a card that streamed and one rendered from the
// saved chat end up the same DOM. Arguments and results are untrusted: they only ever go in as text.
import type { ToolCall } from '../src/protocol';
import { h, icon, textButton } from './dom';
import { argumentsText, durationText, resultSummary, STATUS_ICON, STATUS_TEXT } from './toolCalls';

/** Tools whose calls are prepared for review (an edit's diff) before they ask. */
const REVIEWABLE = new Set(['propose_edit']);

const DECISIONS = [
  { decision: 'once', text: 'Allow once', class: 'primary' },
  { decision: 'chat', text: 'Allow for this chat', class: 'secondary' },
  { decision: 'deny', text: 'Deny', class: 'secondary' },
] as const;

export class ToolCard {
  readonly el: HTMLElement;
  private call: ToolCall;
  private readonly statusIcon: HTMLElement;
  private readonly statusText: HTMLElement;
  private readonly duration: HTMLElement;
  private readonly byProvider: HTMLElement;
  private readonly args: HTMLDetailsElement;
  private readonly argsText: HTMLElement;
  private readonly result: HTMLDetailsElement;
  private readonly resultLabel: HTMLElement;
  private readonly resultText: HTMLElement;
  private readonly approval: HTMLElement;
  private readonly approvalText: HTMLElement;
  private readonly buttons: HTMLButtonElement[];
  private argsDirty = false;

  constructor(call: ToolCall) {
    this.call = call;
    this.statusIcon = h('span', { class: 'tool-status-icon', 'aria-hidden': 'true' });
    this.statusText = h('span', { class: 'tool-status-text' });
    this.duration = h('span', { class: 'tool-duration' });
    this.byProvider = h('span', { class: 'tool-by', title: 'The provider ran this tool on its servers; Parley did not run it' }, 'run by the provider');
    const head = h(
      'div',
      { class: 'tool-head' },
      icon('tools'),
      h('code', { class: 'tool-name' }, call.name),
      h('span', { class: 'tool-status' }, this.statusIcon, this.statusText),
      this.byProvider,
      this.duration,
    );
    this.argsText = h('code', {});
    this.args = h('details', { class: 'tool-args' }, h('summary', {}, 'Arguments'), h('pre', { class: 'tool-pre' }, this.argsText));
    this.resultLabel = h('span', { class: 'tool-result-label' });
    this.resultText = h('pre', { class: 'tool-pre tool-result-text' });
    this.result = h('details', { class: 'tool-result' }, h('summary', {}, this.resultLabel), this.resultText);
    this.buttons = DECISIONS.map((d) =>
      textButton(d.text, { class: d.class, 'data-action': 'approve-tool', 'data-decision': d.decision, 'data-call-id': call.id, title: `${d.text}: ${call.name}` }),
    );
    this.approvalText = h('span', { class: 'tool-approval-text' });
    // An edit is prepared before it asks: its diff can be opened (again) from the card.
    const review = REVIEWABLE.has(call.name)
      ? [textButton('Review changes', { class: 'secondary', 'data-action': 'review-tool', 'data-call-id': call.id, title: `Open the diff of ${call.name} in VS Code` })]
      : [];
    this.approval = h('div', { class: 'tool-approval', role: 'group', 'aria-label': `Approve ${call.name}` }, this.approvalText, ...this.buttons, ...review);
    this.el = h('div', { class: 'tool-card', role: 'group', tabindex: -1, 'data-call-id': call.id }, head, this.args, this.result, this.approval);
    this.update(call);
  }

  get id(): string {
    return this.call.id;
  }

  /** Sets the card from the call (every update re-enables the approval buttons). */
  update(call: ToolCall): void {
    const argsChanged = call.arguments !== this.call.arguments;
    this.call = call;
    const status = call.status;
    this.el.dataset.status = status;
    this.el.classList.toggle('error', status === 'failed' || !!call.isError);
    this.el.setAttribute('aria-label', `Tool call ${call.name}: ${STATUS_TEXT[status]}`);
    const [name, spin] = STATUS_ICON[status].split('~');
    this.statusIcon.className = `tool-status-icon codicon codicon-${name}${spin ? ' codicon-modifier-spin' : ''}`;
    this.statusText.textContent = STATUS_TEXT[status];
    this.duration.textContent = call.durationMs === undefined ? '' : durationText(call.durationMs);
    this.duration.hidden = call.durationMs === undefined;
    this.byProvider.hidden = !call.byProvider;
    if (argsChanged || !this.argsText.textContent) this.renderArgs();
    const hasResult = call.result !== undefined;
    this.result.hidden = !hasResult;
    this.result.classList.toggle('error', !!call.isError);
    this.resultLabel.textContent = hasResult ? resultSummary(call) : '';
    // textContent, never HTML: a tool's output is untrusted.
    if (this.resultText.textContent !== (call.result ?? '')) this.resultText.textContent = call.result ?? '';
    this.approval.hidden = status !== 'approval';
    this.approvalText.textContent = `Parley wants to run ${call.name}${call.summary && !hasResult ? `: ${call.summary}` : ''}.`;
    for (const button of this.buttons) button.disabled = false;
  }

  /** Arguments as they stream: shown at the next `flush`. */
  appendArgs(text: string): void {
    this.call = { ...this.call, arguments: this.call.arguments + text };
    this.argsDirty = true;
  }

  flush(): void {
    if (this.argsDirty) this.renderArgs();
  }

  private renderArgs(): void {
    this.argsDirty = false;
    const text = argumentsText(this.call.arguments);
    this.argsText.textContent = text;
    this.args.hidden = !text;
  }

}

/** The answer a click on an approval button gives, or undefined when `target` is not one. */
export function approvalOf(target: HTMLElement): { callId: string; decision: 'once' | 'chat' | 'deny' } | undefined {
  const callId = target.dataset.callId;
  const decision = target.dataset.decision;
  if (target.dataset.action !== 'approve-tool' || !callId || (decision !== 'once' && decision !== 'chat' && decision !== 'deny')) return undefined;
  return { callId, decision };
}

/** Disables the approval buttons of the card around `target` (until its next update re-enables them). */
export function disableApprovalButtons(target: HTMLElement): void {
  const card = target.closest<HTMLElement>('.tool-card');
  const hadFocus = !!card?.contains(document.activeElement);
  for (const button of card?.querySelectorAll<HTMLButtonElement>('.tool-approval button') ?? []) button.disabled = true;
  // A disabled button drops the keyboard focus: keep it on the card.
  if (hadFocus) card?.focus();
}
