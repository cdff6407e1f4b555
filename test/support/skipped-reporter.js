/**
 * A Jest reporter: after the run, one line per skipped test group with why it skipped. Jest's
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
    // One line per skipped group: a skipped describe whose title gives the reason is one
    // line however many tests it holds; any other skipped test is a line of its own.
    const groups = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status !== 'pending' && test.status !== 'todo') continue;
        const group = test.ancestorTitles.find((title) => title.includes('(skipped:')) ?? test.fullName;
        const line = `skipped: ${path.relative(this.rootDir, file.testFilePath)}: ${group}`;
        groups.set(line, (groups.get(line) ?? 0) + 1);
      }
    }
    const lines = [...groups].map(([line, tests]) => (tests > 1 ? `${line} [${tests} tests]` : line));
    if (lines.length > 0) process.stderr.write(`\n${lines.join('\n')}\n`);
  }
}

module.exports = SkippedReporter;
