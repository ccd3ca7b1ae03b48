// Reads jest's --json output and prints "<passed> <failed>" on stdout, the failures on stderr.
// Usage: node scripts/jest-summary.js .tmp/jest-results.json <jest exit code>
//
// failed = failed tests + test files that failed outside any test (did not compile, threw on import, failed in
// beforeAll/afterAll: jest counts those under numRuntimeErrorTestSuites or only in the file's status) + 1 when jest
// exited non-zero without any of these (it crashed, timed out or reported something else).
const fs = require('fs');
const path = require('path');

const [file, exitCodeArg] = process.argv.slice(2);
const exitCode = Number(exitCodeArg ?? 0);

function main() {
  if (!fs.existsSync(file)) {
    process.stderr.write(`FAILED: jest wrote no results to ${file} (exit code ${exitCode})\n`);
    return [0, 1];
  }
  const results = JSON.parse(fs.readFileSync(file, 'utf8'));
  const passed = results.numPassedTests;
  let failed = results.numFailedTests;
  for (const suite of results.testResults) {
    const name = path.relative(process.cwd(), suite.name);
    const failedTests = suite.assertionResults.filter((test) => test.status === 'failed');
    for (const test of failedTests) process.stderr.write(`FAILED: ${name} > ${test.fullName}\n`);
    if (suite.status === 'failed' && failedTests.length === 0) {
      const reason = (suite.failureMessage || suite.message || '')
        .split('\n')
        // eslint-disable-next-line no-control-regex -- strips the colour codes in jest's messages
        .map((line) => line.replace(/\u001b\[[0-9;]*m/g, '').trim())
        .find((line) => line.length > 0 && !line.startsWith('●'));
      process.stderr.write(`FAILED: ${name} (file failed outside a test: ${reason})\n`);
      failed += 1;
    }
  }
  if (exitCode !== 0 && failed === 0 && passed + failed > 0) {
    process.stderr.write(`FAILED: jest exited with code ${exitCode}\n`);
    failed += 1;
  }
  return [passed, failed];
}

process.stdout.write(main().join(' ') + '\n');
