/**
 * Validation of a directory import file as a whole, before anything is written: every bad row is reported with
 * its index and reason, and one bad row means nothing is imported.
 */
import { ImportRow } from '../../../shared/schemas/index.js';
import { describeProblem } from './validate.js';

export type ImportCheck = { ok: true; rows: ImportRow[] } | { ok: false; problems: Array<{ index: number; reason: string }> };

export function checkImportFile(content: unknown): ImportCheck {
  if (!Array.isArray(content)) {
    return { ok: false, problems: [{ index: -1, reason: 'the file must contain a JSON array of employees' }] };
  }
  const problems: Array<{ index: number; reason: string }> = [];
  const seen = new Map<string, number>();
  content.forEach((row: unknown, index) => {
    const problem = describeProblem(ImportRow, row, 'row');
    if (problem !== null) {
      problems.push({ index, reason: problem });
      return;
    }
    const login = (row as ImportRow).login.toLowerCase();
    const first = seen.get(login);
    if (first !== undefined) problems.push({ index, reason: `login "${(row as ImportRow).login}" already appears in row ${first}` });
    else seen.set(login, index);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows: content as ImportRow[] };
}
