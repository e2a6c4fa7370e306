import { withdrawStorm } from '@concurrency-lab/harness';
import { runLab, ServiceHub } from '@concurrency-lab/services';
import { afterAll, describe, expect, it } from 'vitest';
import { naiveLab } from '../src/index.ts';

const hub = new ServiceHub();
afterAll(() => hub.close());

describe('the naive lab on withdraw-storm', () => {
  it('loses updates even without a widened race window, as in the original experiment', async () => {
    const result = await runLab(hub, { lab: naiveLab, scenario: withdrawStorm(), raceWindowMs: 0 });
    const kinds = result.verdict.violations.map((v) => v.kind);
    expect(kinds).toContain('lost-update');
    expect(kinds).toContain('money-created');
    // More than half the withdrawals "succeed" out of a balance that only covers half.
    expect(result.counts.ok).toBeGreaterThan(5000);
  });
});
