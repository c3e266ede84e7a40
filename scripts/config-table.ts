/** Writes the README's configuration table from server/src/config-variables.ts (the one place defaults live). */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { replaceConfigTable } from '../server/src/config-table.js';

const readme = path.resolve(import.meta.dirname, '../README.md');
const before = readFileSync(readme, 'utf8');
const after = replaceConfigTable(before);
if (after === before) console.log('README.md: the configuration table is up to date');
else {
  writeFileSync(readme, after);
  console.log('README.md: configuration table rewritten');
}
