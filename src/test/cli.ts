/** Runs the `pledge` command in-process for tests and returns what it printed (stdout and stderr). */
import { afterEach, vi } from 'vitest';
import { main } from '../cli/main.js';

export async function runCli(...args: string[]): Promise<string> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    await main(['node', 'pledge', ...args]);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return lines.join('\n');
}

/** A failing command sets process.exitCode; each test starts from none. */
export function resetExitCodeAfterEach(): void {
  afterEach(() => {
    process.exitCode = undefined;
  });
}
