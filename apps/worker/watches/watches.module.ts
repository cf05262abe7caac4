import { Module } from '@nestjs/common';
import { WatchesQueueModule } from '#jobs';
import { ScanModule } from '../scan/scan.module.js';
import { WatchEvaluationRepository } from './watch-evaluation.repository.js';
import { WatchEvaluator } from './watch-evaluator.js';
import { WatchesProcessor } from './watches.processor.js';
import { WatchesScheduler } from './watches.scheduler.js';

/**
 * Watch evaluation in the worker (issue 17): the watches queue's consumer and its periodic check.
 * Shares the scan consumer's bar cache (ScanModule exports it), so evaluation loads no second copy.
 */
@Module({
  imports: [WatchesQueueModule, ScanModule],
  providers: [WatchEvaluationRepository, WatchEvaluator, WatchesProcessor, WatchesScheduler],
})
export class WatchesModule {}
