// Types for scripts/vscode-server.mjs (used from TypeScript by test/e2e/harness.ts).
import type { ChildProcess } from 'node:child_process';

export declare const repoRoot: string;
export declare const defaultVsix: string;
export declare const sampleWorkspace: string;
export declare const baseSettings: Record<string, unknown>;
export declare const chromiumArgs: string[];

export interface RunPaths {
  runDir: string; home: string; config: string; data: string; cache: string; tmp: string;
  userData: string; extensions: string; browserProfile: string;
  configYaml: string; settingsJson: string; serverLog: string;
}
export interface CodeServer {
  child: ChildProcess;
  port: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  url(folder?: string): string;
  stop(): Promise<void>;
}

export declare function ensureRuntime(opts?: { quiet?: boolean }): { codeServerEntry: string; node: string };
export declare function chromiumPath(): string;
export declare function runPaths(runDir: string): RunPaths;
export declare function prepareRunDir(runDir: string, opts?: { port?: number; settings?: Record<string, unknown> }): RunPaths;
export declare function removeRunTmp(runDir: string): void;
export declare function runEnv(runDir: string, extra?: Record<string, string>): NodeJS.ProcessEnv;
export declare function installExtension(runDir: string, vsix: string, opts?: { env?: NodeJS.ProcessEnv }): Promise<void>;
export declare function serverArgs(runDir: string, opts: { port: number; workspace?: string }): string[];
export declare function startServer(runDir: string, opts: {
  port: number; workspace?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number;
}): Promise<CodeServer>;
export declare function waitForHealthz(port: number, opts?: { timeoutMs?: number; exited?: Promise<unknown> }): Promise<void>;
export declare function portIsFree(port: number): Promise<boolean>;
export declare function freePort(): Promise<number>;
export declare function stopProcessGroup(child: ChildProcess, exited: Promise<unknown>, opts?: { graceMs?: number }): Promise<void>;
export declare function delay(ms: number): Promise<void>;
