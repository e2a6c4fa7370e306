/** One open object or array while scanning: the keys seen so far (objects), and where it is. */
interface Frame {
  readonly keys: Set<string> | undefined;
  readonly path: string;
  /** The key whose value comes next (objects), or the index of the next element (arrays). */
  at: string | number;
  expectingKey: boolean;
}

const childPath = (frame: Frame | undefined): string => {
  if (!frame) return '';
  if (typeof frame.at === 'number') return `${frame.path}[${frame.at}]`;
  return frame.path ? `${frame.path}.${frame.at}` : frame.at;
};

/** Index of the quote that closes the string opening at `start`. */
const stringEnd = (text: string, start: number): number => {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i;
};

/**
 * The first key that appears twice in one object of `text`, which must be valid JSON (scan it after
 * JSON.parse accepted it), as a path such as `amount` or `items[0].sku`; undefined when every
 * object's keys are unique. JSON.parse keeps the last of duplicate keys without a word, and RFC 8259
 * leaves their meaning undefined, so a body that has any is refused rather than guessed at. Keys are
 * compared decoded, so `"amount"` and `"\u0061mount"` are the same key.
 */
export const firstDuplicateKey = (
  text: string,
): { readonly key: string; readonly path: string } | undefined => {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const top = stack.at(-1);
    if (char === '{' || char === '[') {
      stack.push({
        keys: char === '{' ? new Set() : undefined,
        path: childPath(top),
        at: char === '{' ? '' : 0,
        expectingKey: char === '{',
      });
    } else if (char === '}' || char === ']') {
      stack.pop();
    } else if (char === ',') {
      if (top?.keys) top.expectingKey = true;
      else if (top && typeof top.at === 'number') top.at++;
    } else if (char === '"') {
      const end = stringEnd(text, i);
      if (top?.keys && top.expectingKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        top.at = key;
        if (top.keys.has(key)) return { key, path: childPath(top) };
        top.keys.add(key);
        top.expectingKey = false;
      }
      i = end;
    }
  }
  return undefined;
};
