/**
 * Great-circle geometry on a spherical Earth, for "stations near a point". A sphere is off by at
 * most 0.5% against the WGS 84 ellipsoid, far less than the size of a station.
 */

/** Mean Earth radius (IUGG R1 = (2a + b) / 3 of WGS 84), in km. */
export const EARTH_RADIUS_KM = 6371.0088;

export interface LatLon {
  latitude: number;
  longitude: number;
}

/** A latitude/longitude rectangle in degrees; west <= east (it never crosses the antimeridian). */
export interface LatLonBox {
  south: number;
  north: number;
  west: number;
  east: number;
}

const RAD = Math.PI / 180;

/** Haversine distance in km (well conditioned for the short distances asked about here). */
export function greatCircleKm(a: LatLon, b: LatLon): number {
  const dLat = (b.latitude - a.latitude) * RAD;
  const dLon = (b.longitude - a.longitude) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * RAD) * Math.cos(b.latitude * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The smallest latitude/longitude rectangles that hold every point within radiusKm of center
 * (J. P. Matuschek, "Finding Points Within a Distance of a Latitude/Longitude Using Bounding
 * Coordinates"): the index prefilter of a radius search, which the exact distance then trims.
 * One rectangle, or two when the circle crosses the antimeridian; a circle around a pole spans
 * every longitude.
 */
export function boundingBoxes(center: LatLon, radiusKm: number): LatLonBox[] {
  const angular = radiusKm / EARTH_RADIUS_KM;
  const south = center.latitude - angular / RAD;
  const north = center.latitude + angular / RAD;
  if (south <= -90 || north >= 90) {
    return [{ south: Math.max(south, -90), north: Math.min(north, 90), west: -180, east: 180 }];
  }
  const dLon = Math.asin(Math.sin(angular) / Math.cos(center.latitude * RAD)) / RAD;
  const west = center.longitude - dLon;
  const east = center.longitude + dLon;
  if (west < -180) return [{ south, north, west: west + 360, east: 180 }, { south, north, west: -180, east }];
  if (east > 180) return [{ south, north, west, east: 180 }, { south, north, west: -180, east: east - 360 }];
  return [{ south, north, west, east }];
}

export interface Located<T> {
  item: T;
  distanceKm: number;
}

/**
 * The places within radiusKm of center (the boundary included), nearest first; equal distances
 * in the order of tieBreak, so the order is the same on every call. Places without coordinates
 * are left out.
 */
export function withinRadius<T extends { latitude: number | null; longitude: number | null }>(
  center: LatLon,
  radiusKm: number,
  places: T[],
  tieBreak: (a: T, b: T) => number,
): Located<T>[] {
  const found: Located<T>[] = [];
  for (const place of places) {
    if (place.latitude === null || place.longitude === null) continue;
    const distanceKm = greatCircleKm(center, { latitude: place.latitude, longitude: place.longitude });
    if (distanceKm <= radiusKm) found.push({ item: place, distanceKm });
  }
  return found.sort((a, b) => a.distanceKm - b.distanceKm || tieBreak(a.item, b.item));
}
