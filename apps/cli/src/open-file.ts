import { spawn, spawnSync } from 'node:child_process';

/**
 * Opens a file with the desktop's default application (xdg-open, or open on macOS) when there is
 * one; otherwise, as on a server or in CI, says where the file is. Never waits for the viewer.
 */
export const openFile = (file: string): void => {
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  const found = spawnSync('sh', ['-c', `command -v ${opener}`], { stdio: 'ignore' }).status === 0;
  if (!found) {
    process.stderr.write(`No ${opener} here: open ${file} in a browser.\n`);
    return;
  }
  spawn(opener, [file], { detached: true, stdio: 'ignore' }).unref();
  process.stderr.write(`Opened ${file}\n`);
};
