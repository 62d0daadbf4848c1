import { startPrometheus } from '../../support/prometheusServer';
import { defineSourceSuite } from './sourceSuite';

defineSourceSuite('Prometheus', startPrometheus);
