// Syntax highlighting (highlight.js): the languages of most replies are in the panel's script; the others are
// chunks loaded the first time a code block asks for one (a block waits as plain text, marked with
// `data-highlight`, and markdown.ts highlights it in place once its language has loaded).
import hljs from 'highlight.js/lib/core';
import type { LanguageFn } from 'highlight.js';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import shell from 'highlight.js/lib/languages/shell';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const bundled = { bash, css, diff, javascript, json, markdown, python, shell, typescript, xml, yaml };
for (const [name, language] of Object.entries(bundled)) hljs.registerLanguage(name, language);

type Loader = () => Promise<{ default: LanguageFn }>;
const lazy: Record<string, Loader> = {
  c: () => import('highlight.js/lib/languages/c'),
  cpp: () => import('highlight.js/lib/languages/cpp'),
  csharp: () => import('highlight.js/lib/languages/csharp'),
  go: () => import('highlight.js/lib/languages/go'),
  java: () => import('highlight.js/lib/languages/java'),
  kotlin: () => import('highlight.js/lib/languages/kotlin'),
  php: () => import('highlight.js/lib/languages/php'),
  ruby: () => import('highlight.js/lib/languages/ruby'),
  rust: () => import('highlight.js/lib/languages/rust'),
  sql: () => import('highlight.js/lib/languages/sql'),
  swift: () => import('highlight.js/lib/languages/swift'),
};
// What fences name these languages by besides their names (highlight.js knows a language's aliases only once it
// is registered).
const LAZY_ALIASES: Record<string, string> = {
  h: 'c', 'c++': 'cpp', cc: 'cpp', cxx: 'cpp', hpp: 'cpp', hxx: 'cpp', cs: 'csharp', 'c#': 'csharp', golang: 'go',
  jsp: 'java', kt: 'kotlin', kts: 'kotlin', rb: 'ruby', gemspec: 'ruby', rs: 'rust', psql: 'sql', mysql: 'sql',
};
const loading = new Map<string, Promise<void>>();

/** Highlighted HTML for `code` (escaped by highlight.js); plain escaped text for unknown languages. */
export function highlight(code: string, language: string): string {
  if (language && hljs.getLanguage(language)) return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  return code.replace(/[&<>]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[ch]!);
}

/** The chunk to load for `language` if it has one and is not loaded yet (then `highlight` gives plain text). */
export function languageToLoad(language: string): string | undefined {
  if (!language || hljs.getLanguage(language)) return undefined;
  const name = lazy[language] ? language : LAZY_ALIASES[language];
  return name && !hljs.getLanguage(name) ? name : undefined;
}

/** Loads and registers a language chunk (once). */
export function loadLanguage(name: string): Promise<void> {
  let load = loading.get(name);
  if (!load) {
    load = lazy[name]().then((module) => hljs.registerLanguage(name, module.default));
    loading.set(name, load);
  }
  return load;
}
