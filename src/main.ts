import 'reflect-metadata';
import { runOrdersDemo } from './orders-demo';
import { serveOrders } from './serve';
import { formatSummary, isClean } from './summary';

const serve = process.argv.includes('--serve') || process.env.SERVE === '1';

if (serve) {
  /** `npm start -- --serve` (or SERVE=1): keeps running with /health and /metrics until Ctrl-C. */
  serveOrders()
    .then((app) => {
      console.log('serving; Ctrl-C to stop');
      const stop = () => void app.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((error: unknown) => {
      console.error('orders service failed to start:', error);
      process.exit(2);
    });
} else {
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
}
