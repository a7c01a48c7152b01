// The review of proposed edits in VS Code's diff editor, built into its own lazily loaded chunk
// (dist/sdk/editReview.js): src/host/editReviewPort.ts loads it with the first proposal or Apply. Apart from the
// tools' chunk because it needs `vscode` (the tools run without it, in the unit tests too).
export { EditReviews } from '../host/editReview';
