/**
 * Errors raised by services. They carry a stable machine-readable `code`; the HTTP status is
 * decided once, in ProblemDetailsFilter, so services never speak HTTP.
 */
export abstract class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Credentials or tokens that prove nothing (401). */
export class AuthenticationError extends DomainError {}

/** The resource named in the request does not exist (404). */
export class NotFoundError extends DomainError {}

/** The request conflicts with the current state, e.g. a duplicate key (409). */
export class ConflictError extends DomainError {}

/** Well-formed input that breaks a rule of the domain (422). */
export class RuleViolationError extends DomainError {}

/** Too many requests from one client in a window (429); it may try again after `retryAfterSeconds`. */
export class TooManyRequestsError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
  }
}

/** Input the service rejects as malformed, naming the offending fields (400). */
export class InvalidInputError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(code, message);
  }
}

export interface FieldError {
  field: string;
  messages: string[];
}
