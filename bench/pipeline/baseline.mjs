// The pipeline's baseline: a plain Node loop over groq-sdk consuming the same paced stream the panel gets.
// argv: <baseURL> <apiKey>. Prints one JSON line: the receive time of each delta (by its §<i> marker).
import Groq from 'groq-sdk';

const [baseURL, apiKey] = process.argv.slice(2);
const now = () => performance.timeOrigin + performance.now();
const client = new Groq({ apiKey, baseURL, maxRetries: 0 });
const recv = [];
const t0 = now();
const stream = await client.chat.completions.create({
  model: 'llama-3.3-70b-versatile',
  stream: true,
  messages: [{ role: 'user', content: 'baseline' }],
});
for await (const chunk of stream) {
  const text = chunk.choices?.[0]?.delta?.content;
  if (!text) continue;
  const t = now();
  for (const m of text.matchAll(/§(\d+)/g)) recv[Number(m[1])] = t;
}
process.stdout.write(JSON.stringify({ t0, recv }) + '\n');
