import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABS, LABS_FOLDER } from '../src/index.ts';

describe('LABS_FOLDER', () => {
  it("holds every lab's folder, named after the lab, with its README (the reports link to them)", () => {
    const missing = LABS.map((lab) => join(LABS_FOLDER, lab.name, 'README.md')).filter(
      (readme) => !existsSync(readme),
    );
    expect(missing).toEqual([]);
    expect(existsSync(join(LABS_FOLDER, 'index', 'package.json'))).toBe(true);
  });
});
