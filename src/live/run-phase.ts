/** Where a train run stands. */
export const RUN_PHASES = ['SCHEDULED', 'RUNNING', 'ARRIVED', 'CANCELLED'] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

/** Who reported the last change: the status provider (simulator or feed), or an operator. */
export const RUN_SOURCES = ['PROVIDER', 'OPERATOR'] as const;
export type RunSource = (typeof RUN_SOURCES)[number];
