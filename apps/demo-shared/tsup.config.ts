import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// Only the demo apps (ESM) import it, so one format is enough.
export default defineConfig(libraryBuild({ format: ['esm'] }));
