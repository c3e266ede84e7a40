import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceConfigTable } from './config-table.js';
import { CONFIG_VARIABLES } from './config-variables.js';

const README = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

describe('the configuration table in the README', () => {
  it('is the one generated from config-variables.ts (run `npm run config-table` after changing a variable)', () => {
    expect(replaceConfigTable(README)).toBe(README);
  });

  it('lists every variable the server reads, with its default', () => {
    for (const [name, variable] of Object.entries(CONFIG_VARIABLES)) {
      expect(README).toContain(`| \`${name}\` | ${variable.shownDefault} |`);
    }
  });

  it('would notice a drift: a changed default no longer matches', () => {
    const drifted = README.replace('| `PORT` | 3000 |', '| `PORT` | 3001 |');
    expect(drifted).not.toBe(README);
    expect(replaceConfigTable(drifted)).toBe(README);
  });
});
