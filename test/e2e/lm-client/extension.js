// Test-only extension for the e2e suite: runs the steps in $PARLEY_LM_CLIENT_DIR/request.json against
// vscode.lm (select models by vendor, send a request, optionally cancel it) and writes what it saw to
// result.json, which the test reads. Models selected in one run are kept for the next (by name).
// It also registers a language-model tool, parley_test_clock (a fixed answer from its input, with a confirmation
// VS Code shows before it runs), and appends each call to tool-calls.log in the same folder.
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');

const kept = new Map();

function describe(model) {
  return { id: model.id, vendor: model.vendor, name: model.name, family: model.family, maxInputTokens: model.maxInputTokens };
}

async function send(step) {
  const model = kept.get(step.model);
  if (!model) return { error: { code: 'test', message: `no model kept as ${step.model}` } };
  const source = new vscode.CancellationTokenSource();
  const chunks = [];
  try {
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(step.text)], {}, source.token);
    for await (const chunk of response.text) {
      chunks.push(chunk);
      if (step.cancelAfterChunks && chunks.length >= step.cancelAfterChunks) source.cancel();
    }
    return { chunks, text: chunks.join(''), cancelled: source.token.isCancellationRequested };
  } catch (err) {
    return { chunks, text: chunks.join(''), cancelled: source.token.isCancellationRequested, error: { code: err && err.code, name: err && err.name, message: String((err && err.message) || err) } };
  } finally {
    source.dispose();
  }
}

/** Two requests: one offering a tool (the model calls it), one carrying the call and its result back. */
async function toolRoundTrip(step) {
  const model = kept.get(step.model);
  const tools = [{ name: step.tool, description: 'Test tool', inputSchema: { type: 'object', properties: { zone: { type: 'string' } } } }];
  const source = new vscode.CancellationTokenSource();
  try {
    const ask = vscode.LanguageModelChatMessage.User(step.text);
    const first = await model.sendRequest([ask], { tools }, source.token);
    const calls = [];
    let text = '';
    for await (const part of first.stream) {
      if (part instanceof vscode.LanguageModelToolCallPart) calls.push({ callId: part.callId, name: part.name, input: part.input });
      else if (part instanceof vscode.LanguageModelTextPart) text += part.value;
    }
    const second = await model.sendRequest([
      ask,
      vscode.LanguageModelChatMessage.Assistant(calls.map((c) => new vscode.LanguageModelToolCallPart(c.callId, c.name, c.input))),
      vscode.LanguageModelChatMessage.User(calls.map((c) => new vscode.LanguageModelToolResultPart(c.callId, [new vscode.LanguageModelTextPart(step.result)]))),
    ], { tools }, source.token);
    let answer = '';
    for await (const chunk of second.text) answer += chunk;
    return { calls, text, answer };
  } catch (err) {
    return { error: { code: err && err.code, message: String((err && err.message) || err) } };
  } finally {
    source.dispose();
  }
}

async function run() {
  const dir = process.env.PARLEY_LM_CLIENT_DIR;
  const request = JSON.parse(fs.readFileSync(path.join(dir, 'request.json'), 'utf8'));
  const results = [];
  for (const step of request.steps) {
    try {
      if (step.op === 'select') {
        const models = await vscode.lm.selectChatModels({ vendor: step.vendor });
        models.forEach((m, i) => kept.set(`${step.vendor}#${i}`, m));
        const wanted = step.id ? models.find((m) => m.id === step.id) : models[0];
        if (wanted) kept.set(step.as || step.vendor, wanted);
        results.push({ op: 'select', models: models.map(describe) });
      } else if (step.op === 'send') {
        results.push({ op: 'send', ...(await send(step)) });
      } else if (step.op === 'tools') {
        results.push({ op: 'tools', ...(await toolRoundTrip(step)) });
      } else if (step.op === 'listTools') {
        results.push({ op: 'listTools', tools: vscode.lm.tools.map((t) => ({ name: t.name, description: t.description, tags: t.tags, source: t.source, inputSchema: t.inputSchema })) });
      } else if (step.op === 'command') {
        const value = await vscode.commands.executeCommand(step.id, ...(step.args || []));
        results.push({ op: 'command', value: value === undefined ? null : value });
      } else if (step.op === 'count') {
        const model = kept.get(step.model);
        results.push({ op: 'count', tokens: await model.countTokens(step.text) });
      }
    } catch (err) {
      results.push({ op: step.op, error: { code: err && err.code, message: String((err && err.message) || err) } });
    }
  }
  fs.writeFileSync(path.join(dir, 'result.tmp'), JSON.stringify({ run: request.run, results }));
  fs.renameSync(path.join(dir, 'result.tmp'), path.join(dir, 'result.json'));
}

/** The test tool: `Clock for <city>: 12:34 (test)`; before it runs VS Code asks (prepareInvocation's confirmation). */
const clockTool = {
  prepareInvocation(options) {
    return {
      invocationMessage: `Reading the clock for ${options.input.city}`,
      confirmationMessages: { title: 'Run the test clock?', message: `Read the clock for ${options.input.city}.` },
    };
  },
  invoke(options) {
    const dir = process.env.PARLEY_LM_CLIENT_DIR;
    if (dir) fs.appendFileSync(path.join(dir, 'tool-calls.log'), JSON.stringify({ tool: 'parley_test_clock', input: options.input, token: options.toolInvocationToken === undefined ? 'undefined' : 'set' }) + '\n');
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(`Clock for ${options.input.city}: 12:34 (test)`)]);
  },
};

exports.activate = (context) => {
  context.subscriptions.push(vscode.commands.registerCommand('parleyLmClient.run', () => run()));
  context.subscriptions.push(vscode.lm.registerTool('parley_test_clock', clockTool));
};
exports.deactivate = () => {};
