// `npm run test:desktop`: the extension-host suite in desktop VS Code via @vscode/test-electron.
// It downloads VS Code, so it needs internet (not part of `npm test`, which uses code-server offline).
import { runTests } from '@vscode/test-electron';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
try {
  await runTests({
    version: process.env.PARLEY_VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: resolve(here, 'suite.cjs'),
    launchArgs: [resolve(root, 'test', 'e2e', 'sample-workspace'), '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (err) {
  console.error(`Desktop tests failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
