import { spawn } from 'node:child_process';

/** Runs a reference tool to completion and returns what it printed (stdout and stderr together). */
export const runTool = (command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) =>
  new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
    });
    child.stderr.on('data', (chunk) => {
      text += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`${command} exited with ${code}:\n${text}`)),
    );
  });
