import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layering the architecture promises, checked on the repository itself: apps → labs → packages,
// never back; packages are imported by name, never reached by a relative path across folders.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const groups = ['apps', 'labs', 'packages'] as const;

const workspacePackages = groups.flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = join(group, entry.name);
      const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      return {
        dir,
        group,
        name: manifest.name,
        deps: Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }),
      };
    }),
);
const groupOf = new Map(workspacePackages.map((p) => [p.name, p.group]));
const LABS_INDEX = '@concurrency-lab/labs';

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|json|ya?ml)$/.test(entry.name) && statSync(path).size < 1_000_000 ? [path] : [];
  });

describe('the layering: apps → labs → packages', () => {
  it('no package under packages/ depends on a lab or an app', () => {
    const offenders = workspacePackages
      .filter((p) => p.group === 'packages')
      .flatMap((p) =>
        p.deps.filter((d) => ['labs', 'apps'].includes(groupOf.get(d) ?? '')).map((d) => `${p.name} → ${d}`),
      );
    expect(offenders).toEqual([]);
  });

  it('no lab depends on another lab or on an app; only the labs index knows every lab', () => {
    const offenders = workspacePackages
      .filter((p) => p.group === 'labs' && p.name !== LABS_INDEX)
      .flatMap((p) =>
        p.deps
          .filter((d) => groupOf.get(d) === 'apps' || groupOf.get(d) === 'labs')
          .map((d) => `${p.name} → ${d}`),
      );
    expect(offenders).toEqual([]);
    const users = workspacePackages.filter((p) => p.deps.includes(LABS_INDEX)).map((p) => p.group);
    expect(new Set(users)).toEqual(new Set(['apps']));
  });

  it('nothing imports an app from below it', () => {
    const apps = workspacePackages.filter((p) => p.group === 'apps').map((p) => p.name);
    const offenders = workspacePackages
      .filter((p) => p.group !== 'apps')
      .flatMap((p) => p.deps.filter((d) => apps.includes(d)).map((d) => `${p.name} → ${d}`));
    expect(offenders).toEqual([]);
  });

  it('no file reaches into another package by a relative path', () => {
    const crossing = /\.\.\/\.\.\/(packages|labs|apps|k6)\b/;
    const offenders = groups
      .flatMap((group) => sourceFiles(join(root, group)))
      .filter((file) => crossing.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });
});
