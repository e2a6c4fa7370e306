import type { MarkdownBlock } from '../explain/readme-sections.ts';
import { wrapText } from './wrap-text.ts';

/** Markdown's inline marks a terminal cannot show: bold, emphasis and links (their text stays). */
export const plainInline = (text: string): string =>
  text
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])/g, '$1')
    .replace(/(?<![\w`])_(?!\s)([^_\n]+?)_(?![\w`])/g, '$1');

/**
 * Markdown blocks as terminal lines of at most `width` columns, under `indent`: prose and list items
 * are wrapped, code and tables are printed as they are (only indented).
 */
export const markdownText = (blocks: readonly MarkdownBlock[], width: number, indent = '  '): string[] => {
  const out: string[] = [];
  for (const block of blocks) {
    if (out.length > 0) out.push('');
    switch (block.kind) {
      case 'heading':
        out.push(`${indent}${plainInline(block.text)}`);
        break;
      case 'paragraph':
        out.push(...wrapText(plainInline(block.text), width, indent));
        break;
      case 'list':
        for (const item of block.items) {
          const [marker, ...words] = item.split(' ');
          const first = `${indent}${marker} `;
          out.push(...wrapText(plainInline(words.join(' ')), width, first, ' '.repeat(first.length)));
        }
        break;
      case 'code':
        out.push(...block.lines.map((line) => `${indent}  ${line}`));
        break;
      case 'table':
        out.push(...block.lines.map((line) => `${indent}${line}`));
        break;
    }
  }
  return out;
};
