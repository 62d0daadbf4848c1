import { startVictoriaMetrics } from '../../support/victoriaMetricsServer';
import { defineSourceSuite } from './sourceSuite';

defineSourceSuite('VictoriaMetrics', startVictoriaMetrics);
