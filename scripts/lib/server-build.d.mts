import type { BuildOptions } from 'esbuild';

export declare const NODE_BUNDLE: BuildOptions;
export declare function workerEntries(root: string): Record<'checkpoint-worker' | 'smsapi-http-worker', string>;
