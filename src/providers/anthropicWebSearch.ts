// Anthropic's web search, a tool Anthropic runs on its servers: the `tools` entry a request carries when the chat
// turned "Web search" on, and the stream's server-tool blocks as Parley's server-tool cards (the ones Groq's
// built-in tools use). Wire format (@anthropic-ai/sdk's ServerToolUseBlock, WebSearchToolResultBlock):
// - `server_tool_use` {id: "srvtoolu_…", name: "web_search", input: {}}, its input (`{"query": …}`) streamed as
//   input_json_delta, then content_block_stop; Anthropic searches after that.
// - `web_search_tool_result` {tool_use_id, content}: the whole result in content_block_start, no deltas; content is
//   the results [{type: "web_search_result", url, title, page_age, encrypted_content}] or an error object
//   {type: "web_search_tool_result_error", error_code} (the response itself is still a 200).
// - The text that follows cites them with `citations_delta` (web_search_result_location); anthropic.ts maps those.
//
// Replay: these blocks are not sent back when the conversation goes on (the cards are `byProvider`, which
// replyTurns leaves out), so Claude sees its own answer text only. The API accepts that: an assistant message of
// plain text is valid history, and the blocks are needed back only for citations to point into them, which Parley
// does not send. Sending them would mean storing every result's encrypted_content in the chat and paying for all
// of it as input tokens on every later turn, and no other provider could read them. The cost: a search Anthropic
// left pending (pause_turn, or asked for beside Parley's tools) is not resumed; its card says no result came.
import type { ChatConfig } from '../protocol';
import type { AdapterEvent } from './types';

/** How many searches Claude may run in one response (`max_uses`; Anthropic sets no default, each costs money). */
export const WEB_SEARCH_MAX_USES = 5;
/** Anthropic bills web search per search, besides the tokens: $10 per 1,000 searches (its pricing page). */
export const WEB_SEARCH_USD = 10 / 1000;

/** The price of the searches a response's usage counts (`server_tool_use.web_search_requests`). */
export function webSearchCost(usage: { server_tool_use?: { web_search_requests?: number | null } | null } | null | undefined): number | undefined {
  const searches = usage?.server_tool_use?.web_search_requests;
  return typeof searches === 'number' && searches > 0 ? searches * WEB_SEARCH_USD : undefined;
}

/** Models with web search (Anthropic's web search tool docs: Claude 3.5 Haiku, 3.7 Sonnet, every Claude 4 and later). */
export const takesWebSearch = (model: string) => /claude-3-5-haiku|claude-3-7-sonnet|claude-(?:sonnet|opus|haiku)-(?:4|[5-9])|claude-(?:mythos|fable)/.test(model);

/** The server tool for `tools` when the chat turned web search on (the config has been through applyCapabilities). */
export function webSearchTools(config: ChatConfig): Array<{ type: 'web_search_20250305'; name: 'web_search'; max_uses: number }> {
  return config.serverTools?.includes('web_search') ? [{ type: 'web_search_20250305', name: 'web_search', max_uses: WEB_SEARCH_MAX_USES }] : [];
}

/** What each documented error_code means, said for the card (and so for the user). */
const ERRORS: Record<string, string> = {
  max_uses_exceeded: `Claude reached Parley's limit of ${WEB_SEARCH_MAX_USES} web searches in one response (max_uses).`,
  too_many_requests: "Anthropic's web search is rate limited; try again in a moment.",
  unavailable: "Anthropic's web search is unavailable right now.",
  invalid_tool_input: 'Anthropic refused the search query as invalid.',
  invalid_input: 'Anthropic refused the search query as invalid.',
  query_too_long: "The search query is longer than Anthropic's web search takes.",
  request_too_large: 'The request is too large for web search.',
};

export function webSearchErrorText(code: unknown): string {
  const known = typeof code === 'string' ? ERRORS[code] : undefined;
  return `Web search failed: ${known ?? `Anthropic reported error ${typeof code === 'string' && code ? `"${code.slice(0, 100)}"` : 'without a code'}.`}`;
}

const NO_RESULT = 'No result came for this search before the response ended (Anthropic left it pending; Parley does not send unfinished searches back).';

interface RawResult { type?: string; url?: unknown; title?: unknown; page_age?: unknown }

/** The card's result: one line per search result (title, URL, page age), numbered. */
function resultsText(results: RawResult[]): { text: string; summary: string } {
  const lines = results.map((r, i) => {
    const title = typeof r.title === 'string' && r.title ? r.title : '(untitled)';
    const age = typeof r.page_age === 'string' && r.page_age ? ` (${r.page_age})` : '';
    return `${i + 1}. ${title}\n   ${typeof r.url === 'string' ? r.url : ''}${age}`;
  });
  const summary = results.length === 1 ? '1 result' : `${results.length || 'no'} results`;
  return { text: lines.join('\n') || 'The search found nothing.', summary };
}

/**
 * Follows a response's server-tool blocks by content block index: a card once the input is complete, done or
 * failed when its result block comes, failed if the response ends without one.
 */
export class ServerToolBlocks {
  /** server_tool_use blocks whose input is still streaming. */
  private readonly streaming = new Map<number, { id: string; name: string; input: unknown; json: string }>();
  /** Cards shown, by the block's id, until their result comes. */
  private readonly waiting = new Map<string, { index: number; name: string; arguments: string }>();

  /** A server_tool_use block started. */
  use(index: number, block: { id: string; name: string; input: unknown }): void {
    this.streaming.set(index, { id: block.id, name: block.name, input: block.input, json: '' });
  }

  /** Input JSON for a server_tool_use block: true when the block is one (not a call for Parley to run). */
  input(index: number, partialJson: string | undefined): boolean {
    const use = this.streaming.get(index);
    // Recorded streams show a first input_json_delta without partial_json.
    if (use && typeof partialJson === 'string') use.json += partialJson;
    return !!use;
  }

  /** A block ended: for a server_tool_use, its card (running: Anthropic searches now). */
  *stop(index: number): Iterable<AdapterEvent> {
    const use = this.streaming.get(index);
    if (!use) return;
    this.streaming.delete(index);
    const args = use.json || JSON.stringify(use.input ?? {});
    this.waiting.set(use.id, { index, name: use.name, arguments: args });
    yield { type: 'server-tool', index, name: use.name, arguments: args };
  }

  /** A web_search_tool_result block: its card done with the results, or failed with what the error code means. */
  *result(block: { tool_use_id: string; content: unknown }): Iterable<AdapterEvent> {
    const card = this.waiting.get(block.tool_use_id);
    if (!card) return;
    this.waiting.delete(block.tool_use_id);
    const { content } = block;
    if (!Array.isArray(content)) {
      const code = (content as { error_code?: unknown } | null)?.error_code;
      yield { type: 'server-tool', ...card, output: webSearchErrorText(code), failed: true };
      return;
    }
    const { text, summary } = resultsText(content as RawResult[]);
    yield { type: 'server-tool', ...card, output: text, summary };
  }

  /** The response ended: searches still without a result fail, saying so. */
  *unanswered(): Iterable<AdapterEvent> {
    for (const card of this.waiting.values()) yield { type: 'server-tool', ...card, output: NO_RESULT, failed: true };
    this.waiting.clear();
  }
}
