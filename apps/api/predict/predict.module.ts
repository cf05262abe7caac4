import { Module } from '@nestjs/common';
import { RateLimitStorageModule } from '../rate-limit/rate-limit-storage.module.js';
import { ModelService } from './model.service.js';
import { PredictController } from './predict.controller.js';
import { PredictService } from './predict.service.js';

/** POST /v1/predict, /v1/predict/batch and GET /v1/model/info, from a model held in memory. */
@Module({
  imports: [RateLimitStorageModule],
  controllers: [PredictController],
  providers: [ModelService, PredictService],
})
export class PredictModule {}
