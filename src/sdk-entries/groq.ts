export * from 'groq-sdk';
