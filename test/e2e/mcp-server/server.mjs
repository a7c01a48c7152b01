// Test-only MCP server for the e2e suite, on stdio, written with the official SDK: word_count, and crash (the
// process exits in the middle of the call, without answering it: a server that dies mid-call).
// VS Code starts it from a workspace's .vscode/mcp.json (see test/e2e/vscodeTools.e2e.ts). When
// $PARLEY_MCP_LOG is set, every call is appended to that file so the test can see the server really ran.
import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const log = (line) => {
  if (process.env.PARLEY_MCP_LOG) appendFileSync(process.env.PARLEY_MCP_LOG, `${new Date().toISOString()} ${line}\n`);
};

const server = new McpServer({ name: 'parley-test', version: '0.0.1' });
server.registerTool(
  'word_count',
  {
    title: 'Word count',
    description: 'Counts the words in a text.',
    inputSchema: { text: z.string().describe('The text to count the words of') },
    annotations: { readOnlyHint: true },
  },
  async ({ text }) => {
    const words = text.trim() ? text.trim().split(/\s+/).length : 0;
    log(`word_count ${JSON.stringify(text)} -> ${words}`);
    return { content: [{ type: 'text', text: `${words} words` }] };
  },
);

server.registerTool(
  'crash',
  {
    title: 'Crash',
    description: 'Stops this test server in the middle of the call (it never answers).',
    // Read-only, so VS Code runs it without its own confirmation dialog.
    annotations: { readOnlyHint: true },
  },
  async () => {
    log('crash: exiting mid-call');
    process.stderr.write('parley-test: exiting in the middle of a tools/call, on purpose\n');
    process.exit(3);
  },
);

log('started');
await server.connect(new StdioServerTransport());
