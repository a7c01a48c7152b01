// The pure half of VS Code's tools as Parley tools (src/tools/vscodeToolNames.ts): provider-safe names and the
// way back, descriptions and schemas the panel and providers accept, a tool result's parts as text, arguments.
import assert from 'node:assert/strict';
import { ToolInfoSchema } from '../../src/protocol';
import {
  assignToolNames, capDescription, parseToolInput, partByShape, PROVIDER_TOOL_NAME, resultText, sanitizeToolName, sizeText, toolParameters,
} from '../../src/tools/vscodeToolNames';
import { MAX_OUTPUT_CHARS } from '../../src/tools/toolList';
import { workspaceToolSpecs } from '../../src/tools/workspaceTools';
import * as v from 'valibot';

describe('VS Code tools: names', () => {
  it('keeps a valid name, replaces what providers refuse, cuts at 64, never returns an empty name', () => {
    assert.equal(sanitizeToolName('mcp_parley-test_word_count'), 'mcp_parley-test_word_count');
    assert.equal(sanitizeToolName('copilot.readFile'), 'copilot_readFile');
    assert.equal(sanitizeToolName('my tool/ünïcode:x'), 'my_tool__n_code_x');
    assert.equal(sanitizeToolName('a'.repeat(100)), 'a'.repeat(64));
    assert.equal(sanitizeToolName(''), 'tool');
  });

  it('maps every real name to a distinct provider name that passes OpenAI\'s rule and the protocol\'s', () => {
    const real = ['mcp_github_search', 'mcp.github.search', 'mcp github search', 'x'.repeat(70), 'x'.repeat(80), 'read_file', 'ok-name'];
    const names = assignToolNames(real, workspaceToolSpecs().map((s) => s.name));
    assert.equal(names.size, real.length);
    const provider = [...names.values()];
    assert.equal(new Set(provider).size, provider.length, 'no two tools share a name');
    for (const name of provider) {
      assert.match(name, PROVIDER_TOOL_NAME);
      assert.ok(v.is(ToolInfoSchema, { name, description: '', readOnly: false, source: 'vscode' }), name);
    }
    assert.equal(names.get('mcp_github_search'), 'mcp_github_search', 'a valid free name keeps itself');
    assert.equal(names.get('ok-name'), 'ok-name');
    assert.equal(names.get('read_file'), 'read_file_2', "Parley's own workspace tool keeps read_file");
    assert.equal(names.get('mcp github search'), 'mcp_github_search_2');
    assert.equal(names.get('mcp.github.search'), 'mcp_github_search_3');
    assert.equal(names.get('x'.repeat(70)), 'x'.repeat(64));
    assert.equal(names.get('x'.repeat(80)), 'x'.repeat(62) + '_2', 'the suffix fits in 64');
  });

  it('maps the same set the same way whatever order VS Code lists it in', () => {
    const real = ['a.b', 'a_b', 'a b', 'c'];
    const forward = assignToolNames(real);
    const backward = assignToolNames([...real].reverse());
    assert.deepEqual([...forward].sort(), [...backward].sort());
    assert.equal(forward.get('a_b'), 'a_b', 'the already valid one wins the plain name');
  });
});

describe('VS Code tools: descriptions and schemas', () => {
  it('cuts a description to the panel\'s 2000 characters', () => {
    assert.equal(capDescription('  Counts words.  '), 'Counts words.');
    assert.equal(capDescription(undefined), '');
    const long = capDescription('d'.repeat(5000));
    assert.equal(long.length, 2000);
    assert.ok(long.endsWith('…'));
    assert.ok(v.is(ToolInfoSchema, { name: 't', description: long, readOnly: false, source: 'mcp', defaultOn: false }));
  });

  it('sends the tool\'s schema without $schema, an object schema when it has none', () => {
    assert.deepEqual(toolParameters(undefined), { type: 'object', properties: {} });
    assert.deepEqual(toolParameters([1]), { type: 'object', properties: {} });
    assert.deepEqual(
      toolParameters({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }),
      { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    );
    assert.deepEqual(toolParameters({ properties: { a: { type: 'number' } } }), { type: 'object', properties: { a: { type: 'number' } } });
  });
});

describe('VS Code tools: results as text', () => {
  it('joins text parts, decodes text data, describes other data, writes prompt-tsx and unknown parts as JSON', () => {
    const png = new Uint8Array(2048);
    const text = resultText([
      { kind: 'text', text: 'Clock for Oslo: ' },
      { kind: 'text', text: '12:34' },
      { kind: 'data', mimeType: 'image/png', bytes: png },
      { kind: 'data', mimeType: 'application/json', bytes: new TextEncoder().encode('{"n":3}') },
      { kind: 'prompt-tsx', value: { node: { type: 1, ctor: 2, children: [] } } },
      { kind: 'unknown', value: 42 },
    ]);
    assert.equal(text, 'Clock for Oslo: 12:34[image/png data, 2.0 KB, not shown]{"n":3}{"node":{"type":1,"ctor":2,"children":[]}}42');
    assert.equal(resultText([]), '');
  });

  it('cuts a huge result with a note, like Parley\'s own tools', () => {
    const text = resultText([{ kind: 'text', text: 'x'.repeat(MAX_OUTPUT_CHARS + 10) }]);
    assert.ok(text.startsWith('x'.repeat(MAX_OUTPUT_CHARS)));
    assert.match(text, /\[… output cut at 60,000 characters of 60,010\]$/);
  });

  it('tells parts apart by shape when the classes did not', () => {
    assert.deepEqual(partByShape({ value: 'hi' }), { kind: 'text', text: 'hi' });
    const bytes = new Uint8Array([1, 2]);
    assert.deepEqual(partByShape({ mimeType: 'image/jpeg', data: bytes }), { kind: 'data', mimeType: 'image/jpeg', bytes });
    assert.deepEqual(partByShape(7), { kind: 'unknown', value: 7 });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(resultText([{ kind: 'unknown', value: cyclic }]), '[object Object]', 'a part JSON cannot write is not a crash');
  });

  it('says sizes in words', () => {
    assert.equal(sizeText(1), '1 byte');
    assert.equal(sizeText(512), '512 bytes');
    assert.equal(sizeText(12_600), '12.3 KB');
    assert.equal(sizeText(4 * 1024 * 1024), '4.0 MB');
  });
});

describe('VS Code tools: arguments', () => {
  it('takes a JSON object (empty text as {}), and answers anything else with an error the model can act on', () => {
    assert.deepEqual(parseToolInput('{"city":"Oslo"}'), { input: { city: 'Oslo' } });
    assert.deepEqual(parseToolInput('  '), { input: {} });
    const notJson = parseToolInput('{"city": Oslo');
    assert.ok('error' in notJson && /not valid JSON/.test(notJson.error));
    for (const other of ['[1,2]', '"text"', '3', 'null']) {
      const r = parseToolInput(other);
      assert.ok('error' in r && /must be a JSON object/.test(r.error), other);
    }
  });
});
