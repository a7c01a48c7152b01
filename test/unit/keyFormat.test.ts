// Key format warnings: real-looking keys pass, wrong prefixes, lengths, another provider's key, quotes, spaces
// and "Bearer " are warned about, and no warning ever contains the key.
import assert from 'node:assert/strict';
import { keyFormatWarning } from '../../src/keyFormat';

const alnum = (n: number) => 'aB3'.repeat(Math.ceil(n / 3)).slice(0, n);
const GROQ = `gsk_${alnum(52)}`;
const GOOGLE = `AIza${alnum(33)}_-`;
const OPENROUTER = `sk-or-v1-${'0123456789abcdef'.repeat(4)}`;
const ANTHROPIC = `sk-ant-api03-${alnum(95)}`;

describe('key formats', () => {
  it('says nothing about keys in the providers\' formats', () => {
    assert.equal(GROQ.length, 56);
    assert.equal(GOOGLE.length, 39);
    assert.equal(keyFormatWarning('groq', GROQ), undefined);
    assert.equal(keyFormatWarning('groq', `  ${GROQ}\n`), undefined, 'surrounding whitespace is trimmed when saved');
    assert.equal(keyFormatWarning('google', GOOGLE), undefined);
    assert.equal(keyFormatWarning('openai', `sk-proj-${alnum(120)}`), undefined);
    assert.equal(keyFormatWarning('anthropic', ANTHROPIC), undefined);
    assert.equal(keyFormatWarning('openrouter', OPENROUTER), undefined);
    assert.equal(keyFormatWarning('xai', `xai-${alnum(80)}`), undefined);
    assert.equal(keyFormatWarning('cerebras', `csk-${alnum(48)}`), undefined);
    // Providers without a known format (local servers, custom endpoints) get no warning.
    assert.equal(keyFormatWarning('custom', 'anything-goes'), undefined);
    assert.equal(keyFormatWarning('groq', ''), undefined);
  });

  it('warns about a wrong length, a wrong prefix, or another provider\'s key', () => {
    assert.equal(keyFormatWarning('groq', 'gsk_fake123'), 'Groq keys are 56 characters of letters and digits; this one is 11 characters long. Check that you copied all of it.');
    assert.equal(keyFormatWarning('groq', `gsk_${alnum(51)}!`), 'Groq keys are 56 characters of letters and digits; this one has an unexpected character. Check that you copied all of it.');
    assert.equal(keyFormatWarning('google', 'AIzaShort'), 'Google keys are 39 characters of letters and digits; this one is 9 characters long. Check that you copied all of it.');
    assert.equal(keyFormatWarning('groq', 'abc123456789'), 'Groq keys start with gsk_; this one does not.');
    assert.equal(keyFormatWarning('openai', ANTHROPIC), 'This looks like an Anthropic key (it starts with sk-ant-), not an OpenAI key.');
    assert.equal(keyFormatWarning('openai', OPENROUTER), 'This looks like an OpenRouter key (it starts with sk-or-), not an OpenAI key.');
    assert.equal(keyFormatWarning('anthropic', 'sk-proj-abcdefgh'), 'This looks like an OpenAI key (it starts with sk-), not an Anthropic key.');
    assert.equal(keyFormatWarning('openai', GROQ), 'This looks like a Groq key (it starts with gsk_), not an OpenAI key.');
    assert.equal(keyFormatWarning('groq', `xai-${alnum(80)}`), 'This looks like an xAI key (it starts with xai-), not a Groq key.');
  });

  it('warns about what came along with the key when it was copied', () => {
    assert.equal(keyFormatWarning('groq', `Bearer ${GROQ}`), 'Paste the key alone, without "Bearer ".');
    assert.equal(keyFormatWarning('groq', `"${GROQ}"`), 'The key starts or ends with a quote mark: paste it without quotes.');
    assert.equal(keyFormatWarning('custom', `${GROQ} ${GROQ}`), 'The key contains spaces or line breaks: keys have none. Check that you copied only the key.');
  });

  it('never repeats the key, or any part of it past its public prefix, in a warning', () => {
    const secret = 'SECRETPART';
    for (const [provider, key] of [['groq', `gsk_${secret}`], ['openai', `sk-ant-${secret}`], ['google', `AIza${secret}`], ['anthropic', secret], ['custom', `"${secret}"`], ['groq', `Bearer ${secret}`]] as const) {
      const warning = keyFormatWarning(provider, key);
      assert.ok(warning, `${provider} ${key} is warned about`);
      assert.equal(warning.includes(secret), false, warning);
    }
  });
});
