import swc from 'unplugin-swc';
import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// Nest resolves constructor parameters from decorator metadata, which only SWC emits here.
export default mergeConfig(sharedConfig, defineConfig({ plugins: [swc.vite({ module: { type: 'es6' } })] }));
