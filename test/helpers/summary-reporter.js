/**
 * Ends the run with one plain line, "tests: N passed, N failed, N skipped", that tools reading the
 * closing line of a test run (CI among them) understand without knowing jest's own summary.
 */
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    process.stderr.write(`tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`);
  }
}
