// VS Code language-model request messages → Parley turns (the pure half of the VS Code model provider).
import assert from 'node:assert/strict';
import { estimateTokens, toTurns } from '../../src/lm/requestMessages';

describe('language-model requests → turns', () => {
  const text = (value: string) => ({ value });

  it('keeps roles and text, joins a message\'s text parts, and collects system messages apart', () => {
    const { turns, system } = toTurns([
      { role: 3, content: [text('Be brief.')] },
      { role: 1, content: [text('Hello, '), text('there')] },
      { role: 2, content: [text('Hi!')] },
      { role: 1, content: [text('Bye')] },
    ]);
    assert.equal(system, 'Be brief.');
    assert.deepEqual(turns, [
      { role: 'user', text: 'Hello, there' },
      { role: 'assistant', text: 'Hi!' },
      { role: 'user', text: 'Bye' },
    ]);
  });

  it('images from data parts go as images; other data parts and empty messages are left out', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const { turns } = toTurns([
      { role: 1, content: [text('What is this?'), { mimeType: 'image/png', data: png }, { mimeType: 'application/json', data: new Uint8Array([1]) }] },
      { role: 2, content: [] },
    ]);
    assert.deepEqual(turns, [{ role: 'user', text: 'What is this?', images: [{ mimeType: 'image/png', base64: 'iVBORw==', name: 'image-1.png' }] }]);
  });

  it('tool calls stay calls and tool results become a tool turn (before any text of that message)', () => {
    const { turns } = toTurns([
      { role: 1, content: [text('What does a.ts hold?')] },
      { role: 2, content: [text('Reading it.'), { callId: 'c1', name: 'read_file', input: { path: 'a.ts' } }] },
      { role: 1, content: [{ callId: 'c1', content: [text('export const a = 1;')] }, text('Thanks')] },
    ]);
    assert.deepEqual(turns, [
      { role: 'user', text: 'What does a.ts hold?' },
      { role: 'assistant', text: 'Reading it.', toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a.ts"}' }] },
      { role: 'tool', text: '', toolResults: [{ callId: 'c1', name: 'read_file', text: 'export const a = 1;' }] },
      { role: 'user', text: 'Thanks' },
    ]);
  });

  it('counts tokens as a documented estimate of 4 characters per token', () => {
    assert.equal(estimateTokens('12345678'), 2);
    assert.equal(estimateTokens({ role: 1, content: [text('123456789')] }), 3);
  });
});
