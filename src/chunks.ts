// Parts of Parley's own code built as chunks of their own (dist/sdk/<name>.js from src/sdk-entries/<name>.ts, see
// sdkChunks in esbuild.mjs) and loaded on first use, not at activation. Each loader `require`s its entry by its
// literal path: the bundle maps that to the chunk, and tests (tsx) load the TypeScript entry. The provider SDKs and
// libraries are chunks too; their users import them by package name (`await import('openai')`).

/** `load` run on the first call; every call gets its result. */
function once<T>(load: () => T): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= Promise.resolve().then(load));
}

/** The packaged models.dev catalog (src/providers/catalog.ts): the first panel or model request. */
export const catalogChunk = once(() => require('./sdk-entries/catalog') as typeof import('./sdk-entries/catalog'));

/** The workspace and edit tools with their libraries: the first reply that offers tools, or the first Apply. */
export const toolsChunk = once(() => require('./sdk-entries/tools') as typeof import('./sdk-entries/tools'));

/** Proposed edits shown in VS Code's diff editor: the first proposal, Apply, or Accept/Reject in a diff. */
export const editReviewChunk = once(() => require('./sdk-entries/editReview') as typeof import('./sdk-entries/editReview'));

/** mime's table of file types (src/host/attachments.ts): the first file attached. */
export const mimeChunk = once(() => require('./sdk-entries/mime') as typeof import('./sdk-entries/mime'));

/** A chat as a Markdown document (Export). */
export const exportChunk = once(() => require('./sdk-entries/export') as typeof import('./sdk-entries/export'));
