import { NotFoundException } from '@nestjs/common';
import { describe, expect, it } from '@jest/globals';
import { ConflictError, InvalidInputError, NotFoundError, RuleViolationError } from './domain-errors.js';
import { toProblem } from './problem-details.filter.js';
import { RequestValidationException } from './request-validation.exception.js';

describe('toProblem', () => {
  it('maps domain errors to their status and keeps their code', () => {
    expect(toProblem(new NotFoundError('STATION_NOT_FOUND', 'No station with code XYZ'), '/x')).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No station with code XYZ',
      instance: '/x',
      code: 'STATION_NOT_FOUND',
    });
    expect(toProblem(new ConflictError('EMAIL_TAKEN', 'taken'), '/x').status).toBe(409);
    expect(toProblem(new RuleViolationError('FAVORITES_LIMIT', 'too many'), '/x').status).toBe(422);
  });

  it('lists the fields of validation errors', () => {
    const problem = toProblem(new RequestValidationException([{ field: 'limit', messages: ['too big'] }]), '/x');
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'limit', messages: ['too big'] }] });
    const invalid = toProblem(new InvalidInputError('BAD_ROUTE', 'bad', [{ field: 'stops[1]', messages: ['x'] }]), '/x');
    expect(invalid).toMatchObject({ status: 400, code: 'BAD_ROUTE', errors: [{ field: 'stops[1]' }] });
  });

  it('keeps HTTP exceptions and client errors from middleware', () => {
    expect(toProblem(new NotFoundException('Cannot GET /nope'), '/nope')).toMatchObject({ status: 404, code: 'NOT_FOUND', detail: 'Cannot GET /nope' });
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, expose: true });
    expect(toProblem(tooLarge, '/x')).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('hides the message of unexpected errors', () => {
    const problem = toProblem(new Error('relation "secret_table" does not exist'), '/x');
    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', detail: 'An unexpected error occurred' });
    expect(JSON.stringify(problem)).not.toContain('secret_table');
  });
});
