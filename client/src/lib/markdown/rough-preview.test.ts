import { describe, expect, it } from 'vitest';
import { roughPreview } from './rough-preview.js';

describe('roughPreview', () => {
  it('drops marks, folds whitespace and cuts with an ellipsis', () => {
    expect(roughPreview('**pilne**\n\n  _jutro_')).toBe('pilne jutro');
    expect(roughPreview('ą'.repeat(120))).toBe(`${'ą'.repeat(99)}…`);
  });
});
