export * from 'openai';
