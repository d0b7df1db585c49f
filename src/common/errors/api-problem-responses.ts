import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ProblemDetailsDto } from './problem-details.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request: the problem names each bad field.',
  401: 'Missing, invalid or expired access token.',
  403: 'Authenticated but not allowed.',
  404: 'The resource does not exist.',
  409: 'Conflicts with the current state.',
  422: 'Well-formed but breaks a rule.',
  429: 'Too many requests; retry after the Retry-After header.',
};

/** Documents error responses of an endpoint with the problem+json schema. */
export const ApiProblemResponses = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetailsDto' } } },
      }),
    ),
  );

export { ProblemDetailsDto };
