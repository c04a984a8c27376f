import { phashDistance } from '../../src/phash.js';

describe('phashDistance', () => {
  it.each([
    ['f06830ca9f1e3e90', 'f06830ca9f1e3e90', 0],
    ['2d5ad3936d2e015b', '2d6ed293db36a4fb', 17],
    ['a4a65595ac94518b', '7838873e791f8400', 37],
    ['ffffffffffffffff', '0000000000000000', 64],
  ])('%s vs %s = %d', (a, b, d) => expect(phashDistance(a, b)).toBe(d));

  it('refuses bad input', () => {
    expect(() => phashDistance('', 'ab')).toThrow(/missing pHash value/);
    expect(() => phashDistance('xyz', 'abc')).toThrow(/invalid pHash value/);
    expect(() => phashDistance('ab', 'abc')).toThrow(/unequal pHash lengths/);
  });
});
