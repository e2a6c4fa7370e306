import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A source file as it is on disk, with its path from the repository root. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** A function or value a lab imports from a shared package, where it is defined and what it promises. */
export interface BuildingBlock {
  readonly name: string;
  readonly packageName: string;
  readonly file: SourceFile;
  /** The first sentence of its doc comment, or '' when it has none. */
  readonly summary: string;
}

/** Everything `lab explain` prints from a lab's own folder, read from the files themselves. */
export interface LabSources {
  /** The lab's package folder, from the repository root (labs/naive). */
  readonly folder: string;
  /** Its TypeScript files reached from src/index.ts, strategy first; the barrel itself is left out. */
  readonly code: readonly SourceFile[];
  /** Its Lua scripts (the redis labs run them on the server). */
  readonly scripts: readonly SourceFile[];
  readonly readme: SourceFile | undefined;
  readonly buildingBlocks: readonly BuildingBlock[];
}

/** The labs index's src/index.ts: the one package that depends on every lab. */
const labsIndexFile = (): string => fileURLToPath(import.meta.resolve('@concurrency-lab/labs'));

const packageFolderOf = (file: string): string => {
  let folder = dirname(file);
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${file}`);
    folder = parent;
  }
  return folder;
};

/** The repository root: two folders above the labs index's package (labs/index). */
const repositoryRoot = (): string => resolve(packageFolderOf(labsIndexFile()), '../..');

const read = (root: string, file: string): SourceFile => ({
  path: relative(root, file),
  text: readFileSync(file, 'utf8'),
});

// `import … from './x.ts'`, `export … from './x.ts'` and `import './x.ts'`: the lab's own modules.
const RELATIVE_IMPORT = /(?:^|\n)\s*(?:import|export)\s(?:[^;'"]*?\sfrom\s)?\s*'(\.{1,2}\/[^']+)'/g;

/** The lab's own modules reached from `entry` (inside its src folder), in the order they are first imported. */
const ownModules = (entry: string): string[] => {
  const src = dirname(entry);
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const match of readFileSync(next, 'utf8').matchAll(RELATIVE_IMPORT)) {
      const target = resolve(dirname(next), match[1] as string);
      // A type import into node_modules (redlock's declarations) is not the lab's code.
      if (!seen.has(target) && existsSync(target) && !relative(src, target).startsWith('..')) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return [...seen].filter((file) => file !== entry);
};

const filesUnder = (folder: string, suffix: string): string[] =>
  readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();

// `import { a, type B, c as d } from '@concurrency-lab/pkg'` (not `import type {…}`).
const PACKAGE_IMPORT = /import\s+\{([^}]*)\}\s+from\s+'(@concurrency-lab\/[^']+)'/g;
// `export { a, b } from './file.ts'` in a package's barrel.
const BARREL_EXPORT = /export\s+\{([^}]*)\}\s+from\s+'(\.[^']+)'/g;

const valueNames = (list: string): string[] =>
  list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && !name.startsWith('type '))
    .map((name) => name.split(/\s+as\s+/)[0] as string);

/** The first sentence of the doc comment right above `export const|function|class <name>`. */
const docSummaryOf = (text: string, name: string): string => {
  const declaration = new RegExp(
    `/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*export\\s+(?:const|function|class)\\s+${name}\\b`,
  );
  const comment = declaration.exec(text)?.[1];
  if (!comment) return '';
  const prose = comment
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .join(' ')
    .trim();
  return /^.*?\.(?=\s|$)/.exec(prose)?.[0] ?? prose;
};

/**
 * The shared functions and values the lab's code imports (every package but the model, whose
 * outcomes and contracts every lab uses), each with the file that defines it.
 */
const buildingBlocksOf = (root: string, labEntry: string, code: readonly SourceFile[]): BuildingBlock[] => {
  const requireFromLab = createRequire(labEntry);
  const blocks = new Map<string, BuildingBlock>();
  for (const source of code) {
    for (const [, names, packageName] of source.text.matchAll(PACKAGE_IMPORT)) {
      if (packageName === undefined || packageName === '@concurrency-lab/model') continue;
      const barrel = requireFromLab.resolve(packageName);
      const barrelText = readFileSync(barrel, 'utf8');
      for (const name of valueNames(names ?? '')) {
        if (blocks.has(name)) continue;
        for (const [, exported, from] of barrelText.matchAll(BARREL_EXPORT)) {
          if (!valueNames(exported ?? '').includes(name)) continue;
          const file = read(root, resolve(dirname(barrel), from as string));
          blocks.set(name, { name, packageName, file, summary: docSummaryOf(file.text, name) });
        }
      }
    }
  }
  return [...blocks.values()];
};

/**
 * Reads a lab's sources through the labs index: the index's own dependency on the lab's package
 * resolves to the lab's src/index.ts, whose relative imports lead to the strategy file and the
 * modules it brings (migrations, helpers).
 */
export const labSources = (labName: string): LabSources => {
  const root = repositoryRoot();
  const entry = createRequire(labsIndexFile()).resolve(`@concurrency-lab/lab-${labName}`);
  const folder = packageFolderOf(entry);
  const code = ownModules(entry).map((file) => read(root, file));
  const readmeFile = join(folder, 'README.md');
  return {
    folder: relative(root, folder),
    code,
    scripts: filesUnder(join(folder, 'src'), '.lua').map((file) => read(root, file)),
    readme: existsSync(readmeFile) ? read(root, readmeFile) : undefined,
    buildingBlocks: buildingBlocksOf(root, entry, code),
  };
};
