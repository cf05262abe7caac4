import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/auth.decorators.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/api-key.service.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { InstallationDto } from './installations.dto.js';
import { InstallationsService } from './installations.service.js';

@ApiTags('installations')
@Controller('v1/installations')
export class InstallationsController {
  constructor(private readonly installations: InstallationsService) {}

  @Post()
  @HttpCode(201)
  @RequireScope('install')
  @RateLimit('installPerKey')
  @ApiOperation({
    operationId: 'registerInstallation',
    summary: 'Register an installation of the app and get its own token',
    description:
      'Called once per installation with the app key (scope `install`). The token is shown once; ' +
      'it carries the scopes the app key grants and has its own rate-limit budgets. ' +
      'Registration is limited per app key and per client address.',
  })
  @ApiCreatedResponse({ type: InstallationDto })
  // It takes no body, but a body sent anyway is parsed (and refused) like any other.
  @ApiProblems(400, 403, 413, 415)
  register(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<InstallationDto> {
    return this.installations.register(principal, request.ip);
  }
}
