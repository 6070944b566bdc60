import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// Two builds: the library entry (dual ESM/CJS with types) and the executable (ESM only, keeps the
// hashbang of src/bin.ts, which tsup then marks executable). Each cleans only its own files,
// because tsup runs the two configs concurrently.
export default defineConfig([
  libraryBuild({ entry: ['src/index.ts'], clean: ['index.*'] }),
  libraryBuild({ entry: ['src/bin.ts'], format: ['esm'], dts: false, clean: ['bin.*'] }),
]);
