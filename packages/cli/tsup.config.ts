import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

/** The executable: ESM only, keeping the hashbang of src/bin.ts (tsup then marks it executable). */
export const binBuild = libraryBuild({ entry: ['src/bin.ts'], format: ['esm'], dts: false, clean: ['bin.*'] });

// The library entry and the executable build concurrently, so each cleans only its own files.
export default defineConfig([libraryBuild({ entry: ['src/index.ts'], clean: ['index.*'] }), binBuild]);
