import GtfsRealtimeBindings from 'gtfs-realtime-bindings';

/**
 * The GTFS-Realtime protobuf classes (MobilityData's `gtfs-realtime-bindings`), in one place.
 * Version 1.1.1: the 2.x releases declare Node 22 and would break `npm ci` on the Node 20 this
 * project supports (EBADENGINE); 1.1.1 decodes and encodes the same messages but names neither
 * the trip relationships NEW nor DELETED, which arrive as their numbers (see TRIP_RELATIONSHIP).
 */
export const { transit_realtime } = GtfsRealtimeBindings;
export type { transit_realtime as GtfsRealtime } from 'gtfs-realtime-bindings';

/** TripDescriptor.ScheduleRelationship values, NEW and DELETED included (gtfs-realtime.proto). */
export const TRIP_RELATIONSHIP = { SCHEDULED: 0, ADDED: 1, UNSCHEDULED: 2, CANCELED: 3, REPLACEMENT: 5, DUPLICATED: 6, DELETED: 7, NEW: 8 } as const;

/** StopTimeUpdate.ScheduleRelationship values. */
export const STOP_RELATIONSHIP = { SCHEDULED: 0, SKIPPED: 1, NO_DATA: 2, UNSCHEDULED: 3 } as const;

/**
 * Whether a decoded message carries a field. protobufjs answers an absent field with its
 * default from the prototype (0 for `time`, "" for ids), so "was it sent" is an own property.
 */
export const has = (message: object | null | undefined, field: string): boolean => message !== null && message !== undefined && Object.prototype.hasOwnProperty.call(message, field);

/** A uint64/int64 field as a number: protobufjs gives `Long` objects for them. Seconds since 1970 fit exactly. */
export const toNumber = (value: number | { toNumber(): number } | null | undefined): number => (value === null || value === undefined ? 0 : typeof value === 'number' ? value : value.toNumber());
