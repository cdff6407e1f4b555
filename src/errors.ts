/**
 * The one error catalogue. Every error the service can report has a stable code here,
 * with the HTTP status it maps to and a short human title. The engine throws these too
 * (it uses only the codes; the statuses matter to the HTTP layer alone).
 */
export const ERROR_CATALOGUE = {
  N_NOT_INTEGER: { status: 400, title: 'n must be a positive whole number' },
  N_TOO_SMALL: { status: 400, title: 'n must be at least 1' },
  N_TOO_LARGE: { status: 422, title: 'n is above the largest supported value' },
  RANGE_INVALID: { status: 400, title: 'The range is not valid' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** An error with a catalogued code; `details` are safe to show to clients. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }
}
