#!/usr/bin/env node
/** `npm run doctor -- --brokers HOST:PORT [--topic T ...] [--json]`: see DOCTOR_USAGE. */
import { runDoctorCli } from './doctor-cli.util';

runDoctorCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`doctor: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
