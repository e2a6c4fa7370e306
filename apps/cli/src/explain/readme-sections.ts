/** A piece of a Markdown page, as far as a terminal needs to tell them apart. */
export type MarkdownBlock =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'code'; readonly language: string; readonly lines: readonly string[] }
  | { readonly kind: 'table'; readonly lines: readonly string[] };

/** A titled part of a README: a heading, or a paragraph that opens with a bold lead (`**Why it is safe.**`). */
export interface ReadmeSection {
  readonly title: string;
  readonly blocks: readonly MarkdownBlock[];
}

const FENCE = /^\s*(```+|~~~+)\s*([\w-]*)/;
const LIST_ITEM = /^(\s*)([-*+]|\d+\.)\s+(.*)$/;

/** Splits Markdown into headings, paragraphs, lists, fenced code and tables (what READMEs here use). */
export const markdownBlocks = (markdown: string): MarkdownBlock[] => {
  const lines = markdown.split('\n');
  const blocks: MarkdownBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    const fence = FENCE.exec(line);
    if (fence) {
      const close = fence[1] as string;
      const body: string[] = [];
      for (i++; i < lines.length && !(lines[i] as string).trim().startsWith(close); i++)
        body.push(lines[i] as string);
      blocks.push({ kind: 'code', language: fence[2] ?? '', lines: body });
      i++;
    } else if (line.trim() === '') {
      i++;
    } else if (/^#{1,6}\s/.test(line)) {
      blocks.push({ kind: 'heading', text: line.replace(/^#+\s*/, '').trim() });
      i++;
    } else if (line.trimStart().startsWith('|')) {
      const rows: string[] = [];
      for (; i < lines.length && (lines[i] as string).trimStart().startsWith('|'); i++)
        rows.push(lines[i] as string);
      blocks.push({ kind: 'table', lines: rows });
    } else if (LIST_ITEM.test(line)) {
      const items: string[] = [];
      for (; i < lines.length; i++) {
        const current = lines[i] as string;
        const item = LIST_ITEM.exec(current);
        if (item && (item[1] ?? '').length === 0) items.push(`${item[2]} ${item[3]}`);
        else if (current.trim() !== '' && /^\s/.test(current) && items.length > 0)
          items[items.length - 1] += ` ${current.trim()}`;
        else break;
      }
      blocks.push({ kind: 'list', items });
    } else {
      const text: string[] = [];
      for (; i < lines.length; i++) {
        const current = lines[i] as string;
        if (
          current.trim() === '' ||
          FENCE.test(current) ||
          /^#{1,6}\s/.test(current) ||
          LIST_ITEM.test(current)
        )
          break;
        text.push(current.trim());
      }
      blocks.push({ kind: 'paragraph', text: text.join(' ') });
    }
  }
  return blocks;
};

const BOLD_LEAD = /^\*\*([^*]+?)\*\*\s*/;

/** The page cut into titled sections; a section runs until the next heading or bold lead. */
export const readmeSections = (markdown: string): ReadmeSection[] => {
  const sections: { title: string; blocks: MarkdownBlock[] }[] = [];
  for (const block of markdownBlocks(markdown)) {
    const lead = block.kind === 'paragraph' ? BOLD_LEAD.exec(block.text) : null;
    if (block.kind === 'heading') {
      sections.push({ title: block.text, blocks: [] });
    } else if (block.kind === 'paragraph' && lead) {
      const rest = block.text.slice(lead[0].length);
      sections.push({
        title: (lead[1] as string).replace(/[.:]$/, ''),
        blocks: rest ? [{ kind: 'paragraph', text: rest }] : [],
      });
    } else {
      sections.at(-1)?.blocks.push(block);
    }
  }
  return sections;
};

/** The sections that say why the strategy is safe or unsafe: "Why it is safe", "Why it fails in production", … */
export const whySections = (markdown: string): ReadmeSection[] =>
  readmeSections(markdown).filter((section) => /^why it\b/i.test(section.title));

/** The command lines of the shell blocks in the README's "Run it" section, comments kept. */
export const runItCommands = (markdown: string): string[] =>
  readmeSections(markdown)
    .filter((section) => /^run it\b/i.test(section.title))
    .flatMap((section) => section.blocks)
    .flatMap((block) =>
      block.kind === 'code' && /^(bash|sh|shell)$/.test(block.language)
        ? block.lines.filter((line) => line.trim() !== '')
        : [],
    );
