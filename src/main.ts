import 'reflect-metadata';
import { runOrdersDemo } from './orders-demo';
import { formatSummary, isClean } from './summary';

/** `npm start`: one run of the orders demo; exit code 1 when anything was lost or applied twice. */
runOrdersDemo()
  .then((summary) => {
    console.log(formatSummary(summary));
    console.log(`SUMMARY ${JSON.stringify(summary)}`);
    process.exit(isClean(summary) ? 0 : 1);
  })
  .catch((error: unknown) => {
    console.error('orders demo failed:', error);
    process.exit(2);
  });
