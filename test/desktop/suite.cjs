// Runs inside the desktop extension host (loaded by @vscode/test-electron): real `vscode` API, real Parley.
const assert = require('node:assert/strict');
const Mocha = require('mocha');
const vscode = require('vscode');

const EXTENSION_ID = 'parley.parley';

function parleyTabs() {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Parley');
}

async function until(check, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function suite() {
  describe('Parley in desktop VS Code', function () {
    this.timeout(30000);
    let api;

    before(async () => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension, `${EXTENSION_ID} is installed`);
      assert.equal(extension.isActive, false, 'Parley does not activate at startup');
      await vscode.commands.executeCommand('parley.startChat');
      api = extension.exports;
      assert.ok(extension.isActive);
    });

    it('registers its commands', async () => {
      const commands = await vscode.commands.getCommands(true);
      for (const id of ['parley.startChat', 'parley.setApiKey', 'parley.clearApiKey', 'parley.attachCurrentFile', 'parley.addSelection', 'parley.attachFile', 'parley.exportChat', 'parley.newChat']) {
        assert.ok(commands.includes(id), `${id} is registered`);
      }
    });

    it('Start Chat opens one panel and reveals it when run again', async () => {
      await until(() => parleyTabs().length === 1);
      await vscode.commands.executeCommand('parley.startChat');
      assert.equal(parleyTabs().length, 1);
    });

    it('activates quickly and exposes its API', () => {
      assert.equal(typeof api.activationMs, 'number');
      assert.ok(api.activationMs < 1000, `activation took ${api.activationMs} ms`);
      assert.equal(typeof api.registerModel, 'function');
    });

    it('a model registered through the API shows up and history is readable', async () => {
      const registration = api.registerModel('desktop-echo', async function* (messages) {
        yield `echo: ${messages.at(-1)?.content ?? ''}`;
      });
      try {
        const chats = await api.getChats();
        assert.ok(Array.isArray(chats) && chats.length >= 1);
      } finally {
        registration.dispose();
      }
    });

    it('Export Chat opens a Markdown editor', async () => {
      await vscode.commands.executeCommand('parley.exportChat');
      await until(() => vscode.window.activeTextEditor?.document.languageId === 'markdown');
      assert.match(vscode.window.activeTextEditor.document.getText(), /Exported from Parley/);
    });
  });
}

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', color: true, timeout: 30000 });
  mocha.suite.emit('pre-require', globalThis, 'suite.cjs', mocha);
  suite();
  return new Promise((resolve, reject) => mocha.run((failures) => (failures ? reject(new Error(`${failures} desktop test(s) failed`)) : resolve())));
};
