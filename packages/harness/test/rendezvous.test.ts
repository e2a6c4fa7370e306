import { describe, expect, it } from 'vitest';
import { type Op, rendezvous } from '../src/index.ts';

const op = { index: 0 } as Op;

describe('rendezvous', () => {
  it('holds the first arrivals until all of them are there, then lets everyone through', async () => {
    const nemesis = rendezvous({ parties: 2, timeoutMs: 60_000 });
    const order: string[] = [];
    const first = nemesis.betweenReadAndWrite?.(op).then(() => order.push('first through'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    order.push('second arrives');
    await nemesis.betweenReadAndWrite?.(op);
    await first;
    expect(order).toEqual(['second arrives', 'first through']);
    // Later arrivals do not wait at all.
    const started = performance.now();
    await nemesis.betweenReadAndWrite?.(op);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('lets a lone arrival go after its timeout, so a run whose clients take turns never hangs', async () => {
    const nemesis = rendezvous({ parties: 2, timeoutMs: 50 });
    let through = false;
    const alone = nemesis.betweenReadAndWrite?.(op).then(() => {
      through = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(through).toBe(false);
    await alone;
    expect(through).toBe(true);
  });
});
