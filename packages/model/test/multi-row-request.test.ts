import { describe, expect, it } from 'vitest';
import {
  everyScenario,
  type Lab,
  MAX_BASKET_LINES,
  rejectInvalidBasket,
  rejectInvalidTransfer,
  supportedScenarios,
  unsupportedReason,
} from '../src/index.ts';

describe('rejectInvalidTransfer', () => {
  it('accepts two different accounts and a positive safe integer', () => {
    expect(rejectInvalidTransfer(1, 2, 5)).toBeUndefined();
  });

  it('refuses a transfer to its own account as invalid_request, and a bad amount as invalid_amount', () => {
    expect(rejectInvalidTransfer(3, 3, 5)).toEqual({
      type: 'fail',
      reason: 'invalid_request',
      message: 'a transfer needs two different accounts; got 3 → 3',
    });
    expect(rejectInvalidTransfer(1, 2, 0)).toMatchObject({ type: 'fail', reason: 'invalid_amount' });
  });
});

describe('rejectInvalidBasket', () => {
  it('accepts 1 to MAX_BASKET_LINES different items with positive quantities', () => {
    expect(rejectInvalidBasket([{ sku: 'a', qty: 1 }])).toBeUndefined();
    const full = Array.from({ length: MAX_BASKET_LINES }, (_, i) => ({ sku: `s${i}`, qty: 2 }));
    expect(rejectInvalidBasket(full)).toBeUndefined();
  });

  it('refuses an empty or too long basket, and an item named twice, as invalid_request', () => {
    expect(rejectInvalidBasket([])).toMatchObject({
      reason: 'invalid_request',
      message: expect.stringMatching(/got 0 lines/),
    });
    const long = Array.from({ length: MAX_BASKET_LINES + 1 }, (_, i) => ({ sku: `s${i}`, qty: 1 }));
    expect(rejectInvalidBasket(long)).toMatchObject({ reason: 'invalid_request' });
    expect(
      rejectInvalidBasket([
        { sku: 'a', qty: 1 },
        { sku: 'a', qty: 2 },
      ]),
    ).toMatchObject({
      reason: 'invalid_request',
      message: 'a basket names each item once; a is there twice',
    });
  });

  it('refuses a bad quantity as invalid_amount, naming its line', () => {
    expect(rejectInvalidBasket([{ sku: 'a', qty: 1.5 }])).toMatchObject({
      reason: 'invalid_amount',
      message: expect.stringMatching(/^qty of a must be a positive safe integer/),
    });
  });
});

describe('unsupportedReason', () => {
  const { basket: _left, ...rest } = everyScenario('safe');
  const lab = {
    name: 'partial',
    expect: rest,
    unsupported: { basket: 'it keeps no stock' },
  } as unknown as Lab;

  it('is the reason the lab declares for a scenario it leaves out, and nothing for one it runs', () => {
    expect(unsupportedReason(lab, 'basket')).toBe('it keeps no stock');
    expect(unsupportedReason(lab, 'transfer')).toBeUndefined();
    expect(supportedScenarios(lab)).not.toContain('basket');
  });

  it('says so when a lab leaves a scenario out without a reason', () => {
    const silent = { ...lab, unsupported: {} } as Lab;
    expect(unsupportedReason(silent, 'basket')).toBe(
      'lab partial declares no expectation for it and gives no reason',
    );
  });
});
