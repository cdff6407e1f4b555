/**
 * A Jest reporter: after the run, one line per skipped test with why it skipped. Jest's
 * default reporter shows skipped tests only as a count. A test that skips itself (no
 * kubectl, no SCHEMA_DIR, no gateway, ...) says why in its title: "... (skipped: why)".
 * Plain CommonJS: Jest loads reporters without transforming them.
 */
const path = require('node:path');

class SkippedReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    // With -t, every test outside the pattern counts as skipped too: nothing to explain.
    this.filtered = Boolean(globalConfig.testNamePattern);
  }

  onRunComplete(_contexts, results) {
    if (this.filtered) return;
    const lines = [];
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status === 'pending' || test.status === 'todo') lines.push(`skipped: ${path.relative(this.rootDir, file.testFilePath)}: ${test.fullName}`);
      }
    }
    if (lines.length > 0) process.stderr.write(`\n${lines.join('\n')}\n`);
  }
}

module.exports = SkippedReporter;
