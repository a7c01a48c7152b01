// `parley.prompts`: old strings and named objects are read, bad entries are skipped with one warning naming each,
// and a user prompt named like a built-in replaces it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BUILT_IN_PROMPTS, parsePromptSetting, promptList } from '../../src/host/promptList';

describe('prompt setting', () => {
  it('reads old strings and { name, description, prompt } objects, in order', () => {
    const { prompts, warnings } = parsePromptSetting([
      'Summarize {{topic}}\nin three bullets',
      { name: 'review', description: '  Review a file for a concern ', prompt: 'Review {{file}} for {{concern}}' },
      { name: 'short_2-x', prompt: 'Be brief.' },
    ]);
    assert.deepEqual(warnings, []);
    assert.deepEqual(prompts, [
      { text: 'Summarize {{topic}}\nin three bullets' },
      { name: 'review', description: 'Review a file for a concern', text: 'Review {{file}} for {{concern}}' },
      { name: 'short_2-x', text: 'Be brief.' },
    ]);
  });

  it('skips each bad entry with one warning that names it and says why; the good ones stay', () => {
    const { prompts, warnings } = parsePromptSetting([
      'fine',
      '   ',
      42,
      { name: 'my review', prompt: 'x' },
      { name: '/review', prompt: 'x' },
      { name: 'review', promt: 'typo' },
      { name: 'review' },
      { name: 'review', description: 3, prompt: 'x' },
      { name: 'review', prompt: 'Review {{file}}' },
      { name: 'Review', prompt: 'again' },
      null,
    ]);
    assert.deepEqual(prompts, [{ text: 'fine' }, { name: 'review', text: 'Review {{file}}' }]);
    assert.deepEqual(warnings, [
      'parley.prompts[1] is skipped: the prompt is empty.',
      'parley.prompts[2] is skipped: an entry must be a string or an object { "name", "description", "prompt" }.',
      'parley.prompts[3] (“my review”) is skipped: "name" may hold only letters, digits, - and _ (no spaces, no leading /).',
      'parley.prompts[4] (“/review”) is skipped: "name" may hold only letters, digits, - and _ (no spaces, no leading /).',
      'parley.prompts[5] (“review”) is skipped: unknown key "promt" (allowed: name, description, prompt).',
      'parley.prompts[6] (“review”) is skipped: "prompt" is missing.',
      'parley.prompts[7] (“review”) is skipped: "description" must be text.',
      'parley.prompts[9] (“Review”) is skipped: parley.prompts[8] already has the name "review".',
      'parley.prompts[10] is skipped: an entry must be a string or an object { "name", "description", "prompt" }.',
    ]);
  });

  it('a setting that is not a list is ignored with a warning; a missing one is empty', () => {
    assert.deepEqual(parsePromptSetting('Explain {{selection}}'), { prompts: [], warnings: ['parley.prompts is skipped: it must be a list of prompts.'] });
    assert.deepEqual(parsePromptSetting(undefined), { prompts: [], warnings: [] });
  });

  it('built-ins are /explain, /fix, /tests and /translate; a user prompt with the same name (any case) replaces one', () => {
    assert.deepEqual(BUILT_IN_PROMPTS.map((p) => p.name), ['explain', 'fix', 'tests', 'translate']);
    assert.deepEqual(promptList(), BUILT_IN_PROMPTS);
    const mine = parsePromptSetting(['Plain one', { name: 'Translate', description: 'Into French', prompt: 'Translate into French: {{text}}' }]).prompts;
    const list = promptList(mine);
    assert.deepEqual(list.map((p) => p.name ?? p.text), ['Plain one', 'Translate', 'explain', 'fix', 'tests']);
    assert.equal(list.find((p) => p.name?.toLowerCase() === 'translate')?.text, 'Translate into French: {{text}}');
  });

  it("package.json's schema for parley.prompts takes the same names and keys as the parser", () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
    const [plain, named] = manifest.contributes.configuration.properties['parley.prompts'].items.oneOf;
    assert.equal(plain.type, 'string');
    assert.deepEqual(Object.keys(named.properties), ['name', 'description', 'prompt']);
    assert.deepEqual(named.required, ['name', 'prompt']);
    const pattern = new RegExp(named.properties.name.pattern);
    for (const name of ['review', 'a_b-2', 'X', 'my review', '/review', 'été', '']) {
      const parsed = parsePromptSetting([{ name, prompt: 'p' }]).prompts.length === 1;
      assert.equal(pattern.test(name), parsed, name);
    }
  });
});
