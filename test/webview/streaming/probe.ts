// Page script of the streaming property test: the webview's own markdown modules (webview/markdown.ts,
// webview/streamingMarkdown.ts), built by esbuild into one file, and a checker that streams a text in given splits
// and compares the final DOM with the one-shot render (the render of the message reopened from history).
import { enhance, markdownHtml } from '../../../webview/markdown';
import { mathReady } from '../../../webview/math';
import { StreamingMarkdown } from '../../../webview/streamingMarkdown';

/** A small seeded PRNG (mulberry32), so a failing split can be reproduced from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random cut points: deltas of 1 to 12 characters, like a provider's tokens, sometimes larger. */
export function randomSplit(text: string, seed: number): string[] {
  const random = prng(seed);
  const parts: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = random() < 0.1 ? 1 + Math.floor(random() * 60) : 1 + Math.floor(random() * 12);
    parts.push(text.slice(i, i + n));
    i += n;
  }
  return parts;
}

/** The DOM as a string, without the streaming renderer's wrappers and the whitespace between top-level blocks. */
function normalized(root: HTMLElement): string {
  const copy = root.cloneNode(true) as HTMLElement;
  for (const wrapper of Array.from(copy.querySelectorAll('.md-chunk, .md-block'))) wrapper.replaceWith(...Array.from(wrapper.childNodes));
  copy.normalize();
  for (const node of Array.from(copy.childNodes)) if (node.nodeType === Node.TEXT_NODE && !node.textContent?.trim()) node.remove();
  return copy.innerHTML;
}

export interface Mismatch {
  index: number;
  split: string;
  deltas: string[];
  streamed: string;
  oneShot: string;
}

function streamed(deltas: string[]): string {
  const root = document.createElement('div');
  const md = new StreamingMarkdown(root);
  for (const delta of deltas) {
    md.append(delta);
    md.flush();
  }
  md.flush(true);
  return normalized(root);
}

function oneShot(text: string): string {
  const root = document.createElement('div');
  root.innerHTML = markdownHtml(text);
  enhance(root);
  return normalized(root);
}

/** Streams each text in `randomSplits` random splits (seeds seed+i*1000+k) and one delta per character. */
async function check(texts: string[], seed: number, randomSplits: number): Promise<{ checked: number; mismatches: Mismatch[] }> {
  await mathReady();
  const mismatches: Mismatch[] = [];
  let checked = 0;
  texts.forEach((text, index) => {
    const expected = oneShot(text);
    const splits: Array<[string, string[]]> = [['per character', [...text]]];
    for (let k = 0; k < randomSplits; k++) splits.push([`seed ${seed + index * 1000 + k}`, randomSplit(text, seed + index * 1000 + k)]);
    for (const [split, deltas] of splits) {
      checked++;
      const got = streamed(deltas);
      if (got !== expected) mismatches.push({ index, split, deltas, streamed: got, oneShot: expected });
    }
  });
  return { checked, mismatches };
}

(window as unknown as { __checkStreaming: typeof check }).__checkStreaming = check;
