#!/usr/bin/env node
// The `pledge` command. Runs the compiled CLI (built by `npm install` through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(compiled)) {
  console.error('Pledge is not built yet: run `npm run build` (npm install does it for you).');
  process.exit(1);
}
const { main } = await import(compiled);
await main(process.argv);
