import { PassThrough } from 'node:stream';
import { formatDuration } from '@concurrency-lab/report';
import { describe, expect, it } from 'vitest';
import { progressLine, progressReporter } from '../src/render/progress.ts';

describe('progress on stderr', () => {
  it('says done of total, the share, the time so far and an estimate of the time left', () => {
    expect(progressLine(2500, 10_000, 4_000)).toBe(
      'progress: 2,500/10,000 ops (25%) · 4 s elapsed · about 12 s left',
    );
    expect(progressLine(0, 10_000, 1_000, '0 violations so far')).toBe(
      'progress: 0/10,000 ops (0%) · 1 s elapsed · estimating · 0 violations so far',
    );
    expect(progressLine(10_000, 10_000, 61_000)).toBe(
      'progress: 10,000/10,000 ops (100%) · 1 min 1 s elapsed · done',
    );
    expect(formatDuration(3 * 3_600_000 + 120_000)).toBe('3 h 2 min');
  });

  it('writes a line at every interval when the stream is not a terminal, also while nothing moves', async () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let text = '';
    (stream as unknown as PassThrough).on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const reporter = progressReporter({ total: 100, stream, intervalMs: 20 });
    reporter.update(40, 'detail');
    await new Promise((resolve) => setTimeout(resolve, 110));
    reporter.stop();
    const lines = text.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines)
      expect(line).toMatch(
        /^progress: 40\/100 ops \(40%\) · [\d.]+ m?s elapsed · about [\d.]+ m?s left · detail$/,
      );
    const after = text;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(text).toBe(after);
  });
});
