import { ResultCache } from '../../src/core/http/result-cache';

describe('ResultCache', () => {
  test('when full, then the least recently used entry goes first', () => {
    const cache = new ResultCache(2);
    cache.set('1', 2);
    cache.set('2', 3);
    cache.get('1'); // 1 is now the most recent
    cache.set('3', 5);

    expect(cache.get('2')).toBeUndefined();
    expect(cache.get('1')).toBe(2);
    expect(cache.get('3')).toBe(5);
    expect(cache.size).toBe(2);
  });

  test('when the size is 0, then nothing is kept', () => {
    const cache = new ResultCache(0);
    cache.set('1', 2);

    expect(cache.get('1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
