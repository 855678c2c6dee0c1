/** The log check from files' texts to a verdict: the whole pure path that `conclave check` runs. */
import { nodeHistories, splitRuns } from './histories.ts';
import { parseLogText } from './log-lines.ts';
import { checkHistories, type CheckOptions, type Verdict } from './verdict.ts';

export interface LogText {
  /** The file's name as the report gives it. */
  name: string;
  text: string;
}

/** Throws LogReadError (naming the file and line) on a line it cannot read. */
export function checkLogTexts(files: readonly LogText[], options: CheckOptions): Verdict {
  const runs = files.flatMap((file) => splitRuns(parseLogText(file.text, file.name)));
  return checkHistories(nodeHistories(runs), options);
}
