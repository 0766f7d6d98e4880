#!/usr/bin/env node
// Node caches the compiled code of the modules a command loads (Node >= 22.1; a no-op where
// unavailable), so every start after the first skips parsing them. Enabled before `main` is
// imported, hence the dynamic import.
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('./main.ts');
await main();
