// mime's table of file types, built into its own lazily loaded chunk (dist/sdk/mime.js): only attaching a file
// needs it, so activation does not parse it.
export { default as mime } from 'mime/lite';
