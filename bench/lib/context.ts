/** What every scenario gets from run.ts, and what it gives back. */
import type { Dataset } from './dataset.js';
import type { IdShape } from './load.js';
import type { Row } from './stats.js';

export interface BenchContext {
  quick: boolean;
  /** A/B rounds per scenario: relay, Depesza, relay, Depesza, … */
  rounds: number;
  dataset: Dataset;
  /** Session cookie per person (same index as dataset.people), signed in once per run. */
  cookies: string[];
  tmpDir: string;
  /** Client message id shapes the pairs and groups ladders send (`--ids=`), each its own Depesza phase. */
  idShapes: IdShape[];
  log(message: string): void;
}

export interface ScenarioResult {
  rows: Row[];
  /** Everything measured, for the JSON file. */
  details: unknown;
  /** Goals as numbers the summary checks. */
  facts: Record<string, number | null>;
}

/** A measurement that cannot be trusted: the run stops with this reason and a non-zero exit. */
export class BenchFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchFailure';
  }
}
