import { describe, expect, it } from 'vitest';
import { isDuration, isIri, isLanguageTag, isMbox, isUuid, timestampMillis } from './xapi.formats.js';

describe('timestampMillis', () => {
  it('reads offsets, basic format and missing zones as the same instant', () => {
    const utc = Date.parse('2024-03-05T14:30:00.123Z');
    for (const value of [
      '2024-03-05T14:30:00.123Z',
      '2024-03-05T14:30:00.123+00:00',
      '2024-03-05T20:00:00.123+05:30',
      '2024-03-05T20:00:00.123+0530',
      '2024-03-05T09:30:00.123-05',
      '20240305T143000.123Z',
      '2024-03-05T14:30:00,123Z',
      '2024-03-05T14:30:00.123',
    ]) {
      expect(timestampMillis(value), value).toBe(utc);
    }
  });

  it('keeps milliseconds and truncates finer fractions', () => {
    expect(timestampMillis('2024-03-05T14:30:00.9999999Z')).toBe(Date.parse('2024-03-05T14:30:00.999Z'));
    expect(timestampMillis('2024-03-05T14:30:00.5Z')).toBe(Date.parse('2024-03-05T14:30:00.500Z'));
  });

  it('keeps years below 100 as written', () => {
    expect(new Date(timestampMillis('0099-12-31T23:59:59Z') ?? NaN).getUTCFullYear()).toBe(99);
  });

  it('refuses impossible dates and the "-00:00" offset', () => {
    for (const value of ['2024-02-30T00:00:00Z', '2100-02-29T00:00:00Z', '2024-03-05T14:30:00-00:00', '2024-03-05']) {
      expect(timestampMillis(value), value).toBeUndefined();
    }
    expect(timestampMillis('2000-02-29T00:00:00Z')).toBe(Date.parse('2000-02-29T00:00:00Z'));
  });
});

describe('format checks stay fast on hostile input', () => {
  it('answers long near-miss strings in linear time', () => {
    const long = '1'.repeat(200);
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      isDuration(`P${long}X`);
      isIri(`a${'b'.repeat(2000)} `);
      isMbox(`mailto:${'a'.repeat(2000)}@`);
      isLanguageTag(`${'ab-'.repeat(80)}x`);
      timestampMillis(`2024-03-05T14:30:00.${long}`);
    }
    expect(performance.now() - started).toBeLessThan(2000);
    expect(isUuid('2A6F1B3C-5D4E-4F8A-9B0C-1D2E3F4A5B6C')).toBe(true);
  });
});
