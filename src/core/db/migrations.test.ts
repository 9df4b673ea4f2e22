import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('migrations', () => {
  it('match the schema: generating again finds nothing to do', () => {
    const root = process.cwd();
    const work = mkdtempSync(path.join(os.tmpdir(), 'pledge-drift-'));
    cpSync(path.join(root, 'drizzle'), path.join(work, 'drizzle'), { recursive: true });
    const config = path.join(work, 'drizzle.config.ts');
    writeFileSync(
      config,
      `export default { dialect: 'postgresql', schema: './src/core/db/schema.ts', out: '${path.relative(root, path.join(work, 'drizzle'))}', casing: 'snake_case' };\n`,
    );
    const before = readdirSync(path.join(work, 'drizzle')).sort();
    const output = execFileSync(path.join(root, 'node_modules/.bin/drizzle-kit'), ['generate', '--config', config], { cwd: root, encoding: 'utf8' });
    expect(readdirSync(path.join(work, 'drizzle')).sort()).toEqual(before);
    expect(output).toContain('No schema changes');
  });
});
