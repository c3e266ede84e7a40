/** The README's configuration table sits between two markers; this swaps in the one generated from the variables. */
import { configTable } from './config-variables.js';

const START = /<!-- config-table:[^>]*-->\n/;
const END = '<!-- /config-table -->';

export function replaceConfigTable(readme: string): string {
  const start = START.exec(readme);
  const end = readme.indexOf(END);
  if (!start || end < start.index) throw new Error('README.md has no <!-- config-table … --> … <!-- /config-table --> markers');
  const from = start.index + start[0].length;
  return `${readme.slice(0, from)}${configTable()}\n${readme.slice(end)}`;
}
