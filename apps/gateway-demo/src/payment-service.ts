import { buildPaymentService } from './payment-service-app';
import { runProcess } from './run-process';

await runProcess('payment-service', 3002, (manager, logger) => buildPaymentService({ manager, logger }), (url) => [`curl -s ${url}/health`]);
