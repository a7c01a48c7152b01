// What package.json contributes to VS Code's UI: every command under the Parley category (so the palette says
// "Parley: …"), the entries in context menus naming Parley themselves (menus show no category), and keybindings
// that take no key VS Code 1.139 binds by default (read from the workbench bundle of the e2e's code-server).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import packageJson from '../../package.json';

const ROOT = resolve(__dirname, '..', '..');
// Where scripts/runtime.mjs installs code-server (VS Code 1.139.1).
const WORKBENCH = join(resolve(process.env.PARLEY_RUNTIME_DIR || join(ROOT, '.runtime')), 'code-server-4.139.1', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'vs', 'code', 'browser', 'workbench', 'workbench.js');

const { commands, menus, keybindings } = packageJson.contributes;
const title = (id: string) => commands.find((c) => c.command === id)?.title;

// VS Code's key codes (src/vs/base/common/keyCodes.ts): KeyMod.CtrlCmd 2048, Shift 1024, Alt 512, WinCtrl 256;
// KeyCode.KeyA 31 … KeyZ 56, Digit0 21 … Digit9 30. On macOS `cmd` is CtrlCmd and `ctrl` is WinCtrl.
const MODS: Record<string, number> = { ctrl: 2048, cmd: 2048, shift: 1024, alt: 512 };
const MAC_MODS: Record<string, number> = { ...MODS, ctrl: 256 };
function encode(part: string, mac: boolean): number {
  const mods = mac ? MAC_MODS : MODS;
  return part.split('+').reduce((sum, p) => {
    if (p in mods) return sum + mods[p];
    if (/^[a-z]$/.test(p)) return sum + 31 + p.charCodeAt(0) - 97;
    if (/^[0-9]$/.test(p)) return sum + 21 + Number(p);
    throw new Error(`encode ${p} too`);
  }, 0);
}
/** "ctrl+k ctrl+l" → "2089 2090", as VS Code's bundle writes chords (`xy(2089,2090)`). */
const encodeKey = (key: string, mac = false) => key.split(' ').map((part) => encode(part, mac)).join(' ');

/** Every key VS Code's workbench binds by default, encoded as above: on Linux and Windows, and on macOS. */
function defaultKeys(bundle: string): { other: Set<string>; mac: Set<string> } {
  const collect = (text: string, into: Set<string>) => {
    for (const v of text.matchAll(/\b[a-zA-Z$_]{1,3}\((\d+),(\d+)\)|\b(\d+)\b/g)) into.add(v[3] ?? `${v[1]} ${v[2]}`);
  };
  const mac = new Set<string>();
  const other = new Set<string>();
  // macOS overrides first (`mac:{primary:…}`), then everything else: primary, secondary, linux, win.
  const rest = bundle.replace(/\bmac\s*:\s*\{([^}]*)\}/g, (_, inner: string) => {
    collect(inner, mac);
    return '';
  });
  for (const m of rest.matchAll(/\b(?:primary|secondary|linux|win)\s*:\s*(\[[^\]]*\]|\{primary:[^}]*\}|[a-zA-Z$_]{1,3}\(\d+,\d+\)|[^,}]+)/g)) collect(m[1], other);
  // A binding without a macOS override applies there too (over-counts a little: some are overridden).
  for (const key of other) mac.add(key);
  return { other, mac };
}

describe('package.json contributions', () => {
  it('puts every command under the Parley category', () => {
    for (const command of commands) assert.equal(command.category, 'Parley', command.command);
  });

  it('names Parley in every context-menu entry (menus do not show the category)', () => {
    const entries = [...menus['editor/context'], ...menus['explorer/context']];
    assert.ok(entries.length >= 3);
    for (const entry of entries) assert.match(title(entry.command) ?? '', /\bParley\b/, entry.command);
    assert.equal(title('parley.addSelection'), 'Add Selection to Parley Chat');
  });

  it('binds no key VS Code binds by default (Ctrl+L is Expand Line Selection)', function () {
    if (!existsSync(WORKBENCH)) this.skip(); // the e2e's code-server is not installed (npm run test:e2e installs it)
    const taken = defaultKeys(readFileSync(WORKBENCH, 'utf8'));
    // The reading of the bundle finds the bindings this test is about.
    for (const known of ['ctrl+l', 'ctrl+shift+l', 'ctrl+k ctrl+l', 'ctrl+alt+i']) assert.ok(taken.other.has(encodeKey(known)), `${known} is found bound`);
    assert.ok(taken.mac.has(encodeKey('cmd+alt+l', true)), 'cmd+alt+l (Toggle Find in Selection) is found bound on macOS');
    assert.ok(taken.mac.has(encodeKey('ctrl+cmd+f', true)), 'ctrl+cmd+f (Toggle Full Screen) is found bound on macOS');
    assert.equal(taken.other.has(encodeKey('ctrl+alt+l')), false, 'ctrl+alt+l is bound on macOS only');
    for (const binding of keybindings) {
      assert.equal(taken.other.has(encodeKey(binding.key)), false, `${binding.command}: ${binding.key} is bound by VS Code`);
      assert.equal(taken.mac.has(encodeKey(binding.mac, true)), false, `${binding.command}: ${binding.mac} is bound by VS Code on macOS`);
    }
    assert.equal(keybindings.find((b) => b.command === 'parley.focusInput')?.key, 'ctrl+alt+j');
  });
});
