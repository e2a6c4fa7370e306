import { styleText } from 'node:util';
import {
  acceptedValues,
  type Expectation,
  expectationFor,
  type Lab,
  type LabOptionValue,
  SCENARIO_NAMES,
} from '@concurrency-lab/model';
import type { LabSources, SourceFile } from '../explain/lab-sources.ts';
import { runItCommands, whySections } from '../explain/readme-sections.ts';
import { markdownText } from './markdown-text.ts';
import { textTable } from './text-table.ts';
import { TERMINAL_WIDTH, wrapText } from './wrap-text.ts';

const heading = (text: string) => styleText('bold', text);

/** A file's lines exactly as they are, behind a gutter of line numbers. */
const codeListing = (file: SourceFile): string[] => {
  const lines = file.text.replace(/\n$/, '').split('\n');
  const digits = String(lines.length).length;
  return [
    `── ${file.path} ${'─'.repeat(Math.max(3, TERMINAL_WIDTH - file.path.length - 4))}`,
    ...lines.map((line, i) => `${String(i + 1).padStart(digits + 2)} │ ${line}`),
  ];
};

/** One column of the verdict table: a set of conditions the lab's expectation depends on. */
interface Variant {
  readonly label: string;
  /** The option whose choice this column is, if any. */
  readonly option?: string;
  readonly options: Readonly<Record<string, LabOptionValue>>;
  readonly replicas: number;
}

/** The default, each choice of an option that changes what is expected, and more than one replica. */
const variantsOf = (lab: Lab): Variant[] => {
  const byChoice = Object.entries(lab.options ?? {}).flatMap(([name, spec]) =>
    spec.kind === 'choice' && spec.expect
      ? spec.choices.map((choice) => ({
          label: choice,
          option: name,
          options: { [name]: choice },
          replicas: 1,
        }))
      : [],
  );
  const variants = byChoice.length > 0 ? byChoice : [{ label: 'expected', options: {}, replicas: 1 }];
  return lab.processLocal ? [...variants, { label: 'with 2+ replicas', options: {}, replicas: 2 }] : variants;
};

const verdictTable = (lab: Lab): string => {
  const variants = variantsOf(lab);
  const cell = (e: Expectation | undefined) => e ?? '— (not supported)';
  const rows = SCENARIO_NAMES.map((scenario) => [
    scenario,
    ...variants.map((v) => cell(expectationFor(lab, scenario, { options: v.options, replicas: v.replicas }))),
  ]);
  const options = [...new Set(variants.flatMap((v) => (v.option ? [`--${v.option}`] : [])))];
  const caption = options.length > 0 ? [`  by ${options.join(', ')}:`] : [];
  return [...caption, textTable([['scenario', ...variants.map((v) => v.label)], ...rows], '  ')].join('\n');
};

const optionLines = (lab: Lab): string[] => {
  const specs = Object.entries(lab.options ?? {});
  if (specs.length === 0) return ['  none'];
  return specs.flatMap(([name, spec]) => {
    const accepted = acceptedValues(spec);
    const text = `${spec.description}; accepts ${accepted}; default ${spec.default}.`;
    const label = `  --${name}`;
    return wrapText(text, TERMINAL_WIDTH, `${label.padEnd(20)}`, ' '.repeat(20));
  });
};

/** A command as it is; a comment that would take it past the width goes on the line above. */
const commandLines = (line: string): string[] => {
  const [command = '', ...comment] = line.split(/\s+#\s/);
  if (`  ${line}`.length <= TERMINAL_WIDTH || comment.length === 0) return [`  ${line}`];
  return [`  # ${comment.join(' # ')}`, `  ${command.trimEnd()}`];
};

const field = (label: string, text: string) =>
  wrapText(text, TERMINAL_WIDTH, label.padEnd(13), ' '.repeat(13));

/**
 * `lab explain <lab>` as text: what the lab is, its code and scripts as they are on disk, why it is
 * safe or unsafe (its README's own words), what it is expected to show and the commands to try it.
 * Prose fits TERMINAL_WIDTH; code is printed as it is.
 */
export const renderExplainReport = (lab: Lab, sources: LabSources, withShared: boolean): string => {
  const readme = sources.readme;
  const why = readme ? whySections(readme.text) : [];
  const commands = readme ? runItCommands(readme.text) : [];
  const blocks = sources.buildingBlocks;
  const sharedFiles = [...new Map(blocks.map((b) => [b.file.path, b.file])).values()];

  const out: string[] = [
    heading(`${lab.name} — ${lab.title}`),
    ...wrapText(lab.summary, TERMINAL_WIDTH),
    '',
    ...field('Folder', sources.folder),
    ...field('Needs', lab.needs.join(', ')),
    ...(lab.noGap ? field('Race window', `not applicable: ${lab.noGap}`) : []),
    ...(lab.processLocal
      ? field('Scope', 'its protection lives in one process: it protects nothing across replicas')
      : []),
    '',
    heading('The strategy, as it is in the source'),
    '',
    ...[...sources.code, ...sources.scripts].flatMap((file) => [...codeListing(file), '']),
  ];

  if (blocks.length > 0) {
    out.push(heading('Shared building blocks it calls'));
    const width = Math.max(...blocks.map((b) => b.name.length)) + 4;
    for (const block of blocks) {
      out.push(...wrapText(`${block.file.path}`, TERMINAL_WIDTH, `  ${block.name.padEnd(width)}`));
      if (block.summary) out.push(...wrapText(block.summary, TERMINAL_WIDTH, ' '.repeat(width + 2)));
    }
    out.push('');
    if (withShared) out.push(...sharedFiles.flatMap((file) => [...codeListing(file), '']));
    else
      out.push(
        ...wrapText(`(pnpm lab explain ${lab.name} --shared prints them in full)`, TERMINAL_WIDTH, '  '),
        '',
      );
  }

  if (why.length === 0) {
    out.push(
      heading('Why'),
      `  ${readme ? readme.path : `${sources.folder}/README.md`} has no "Why it…" section.`,
      '',
    );
  }
  for (const section of why) {
    out.push(heading(section.title), ...markdownText(section.blocks, TERMINAL_WIDTH), '');
  }
  if (readme && why.length > 0) out.push(`  (from ${readme.path})`, '');

  out.push(heading('Expected verdicts'), verdictTable(lab), '');
  out.push(heading('Options'), ...optionLines(lab), '');
  out.push(
    heading('Try it'),
    ...(commands.length > 0 ? commands : [`pnpm lab run ${lab.name} --scenario withdraw-storm`]).flatMap(
      commandLines,
    ),
    ...commandLines(`pnpm lab compare --labs ${lab.name} --ops 1000   # a quick look beside the report`),
  );
  return out.join('\n');
};
