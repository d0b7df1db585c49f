import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { AuthenticationError, ConflictError, DomainError, InvalidInputError, NotFoundError, RuleViolationError, TooManyRequestsError } from './domain-errors.js';
import type { ProblemDetails } from './problem-details.js';
import { RequestValidationException } from './request-validation.exception.js';

const DOMAIN_STATUS: Array<[abstract new (...args: never[]) => DomainError, number]> = [
  [AuthenticationError, HttpStatus.UNAUTHORIZED],
  [NotFoundError, HttpStatus.NOT_FOUND],
  [ConflictError, HttpStatus.CONFLICT],
  [RuleViolationError, HttpStatus.UNPROCESSABLE_ENTITY],
  [InvalidInputError, HttpStatus.BAD_REQUEST],
  [TooManyRequestsError, HttpStatus.TOO_MANY_REQUESTS],
];

const GENERIC_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** Turns any error into an RFC 9457 problem; the body never carries stack traces or SQL. */
export function toProblem(error: unknown, instance: string): ProblemDetails {
  const problem = (status: number, detail: string, code?: string): ProblemDetails => ({
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance,
    code: code ?? GENERIC_CODES[status] ?? `HTTP_${status}`,
  });

  if (error instanceof RequestValidationException) {
    return { ...problem(400, error.message, 'VALIDATION_FAILED'), errors: error.errors };
  }
  if (error instanceof DomainError) {
    const status = DOMAIN_STATUS.find(([type]) => error instanceof type)?.[1] ?? HttpStatus.INTERNAL_SERVER_ERROR;
    const body = problem(status, error.message, error.code);
    return error instanceof InvalidInputError && error.errors.length > 0 ? { ...body, errors: error.errors } : body;
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : Array.isArray((response as { message?: unknown }).message)
          ? ((response as { message: string[] }).message).join('; ')
          : String((response as { message?: unknown }).message ?? error.message);
    return problem(status, message);
  }
  if (isDatabaseUnavailable(error)) {
    return problem(503, 'The database is unavailable; try again shortly', 'DATABASE_UNAVAILABLE');
  }
  // Errors from Express middleware (body-parser) carry their status in `status`/`statusCode`.
  const httpish = error as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const status = Number(httpish?.status ?? httpish?.statusCode);
  if (Number.isInteger(status) && status >= 400 && status < 500 && httpish.expose !== false) {
    return problem(status, typeof httpish.message === 'string' ? httpish.message : STATUS_CODES[status] ?? 'Bad request');
  }
  return problem(500, 'An unexpected error occurred');
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03']);

/** PostgreSQL down or restarting: the request may succeed later (503), it was not wrong (500). */
function isDatabaseUnavailable(error: unknown): boolean {
  const candidates = [error, (error as { driverError?: unknown })?.driverError];
  return candidates.some((candidate) => {
    const { code, message } = (candidate ?? {}) as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08'))) return true;
    return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(message);
  });
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = toProblem(error, request.originalUrl?.split('?')[0] ?? request.url);
    if (problem.status >= 500) {
      this.logger.error(`${request.method} ${problem.instance} failed`, error instanceof Error ? error.stack : String(error));
    }
    if (response.headersSent) return;
    response.status(problem.status).type('application/problem+json').json(problem);
  }
}
