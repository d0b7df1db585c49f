import { describe, expect, it } from '@jest/globals';
import { boundingBoxes, EARTH_RADIUS_KM, greatCircleKm, type LatLon, type LatLonBox, withinRadius } from './geo.js';

const RAD = Math.PI / 180;

/** The point at distanceKm from start on the given bearing (spherical direct problem), for checking boxes. */
function destination(start: LatLon, bearingDeg: number, distanceKm: number): LatLon {
  const d = distanceKm / EARTH_RADIUS_KM;
  const lat1 = start.latitude * RAD;
  const bearing = bearingDeg * RAD;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(bearing));
  const lon2 = start.longitude * RAD + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  const longitude = ((lon2 / RAD + 540) % 360) - 180;
  return { latitude: lat2 / RAD, longitude };
}

const inside = (boxes: LatLonBox[], point: LatLon, slack = 1e-9) =>
  boxes.some(
    (box) =>
      point.latitude >= box.south - slack &&
      point.latitude <= box.north + slack &&
      point.longitude >= box.west - slack &&
      point.longitude <= box.east + slack,
  );

const bearings = Array.from({ length: 72 }, (_, i) => i * 5);

describe('greatCircleKm', () => {
  it('is zero for one point and the same both ways', () => {
    const newDelhi = { latitude: 28.643, longitude: 77.2194 };
    const mumbai = { latitude: 18.9697, longitude: 72.8194 };
    expect(greatCircleKm(newDelhi, newDelhi)).toBe(0);
    expect(greatCircleKm(newDelhi, mumbai)).toBeCloseTo(greatCircleKm(mumbai, newDelhi), 9);
  });

  it('measures arcs of the sphere: a degree of latitude, a quarter of the equator, half of a meridian', () => {
    expect(greatCircleKm({ latitude: 10, longitude: 20 }, { latitude: 11, longitude: 20 })).toBeCloseTo((EARTH_RADIUS_KM * Math.PI) / 180, 6);
    expect(greatCircleKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 90 })).toBeCloseTo((EARTH_RADIUS_KM * Math.PI) / 2, 6);
    expect(greatCircleKm({ latitude: 90, longitude: 0 }, { latitude: -90, longitude: 0 })).toBeCloseTo(EARTH_RADIUS_KM * Math.PI, 6);
  });

  it('goes the short way across the antimeridian', () => {
    expect(greatCircleKm({ latitude: 0, longitude: 179.5 }, { latitude: 0, longitude: -179.5 })).toBeCloseTo((EARTH_RADIUS_KM * Math.PI) / 180, 6);
  });

  it('agrees with the distance the destination formula walked', () => {
    const start = { latitude: 28.643, longitude: 77.2194 };
    for (const bearing of bearings) expect(greatCircleKm(start, destination(start, bearing, 37.5))).toBeCloseTo(37.5, 6);
  });
});

describe('boundingBoxes', () => {
  it('holds the whole circle and touches it on all four sides', () => {
    const center = { latitude: 28.643, longitude: 77.2194 };
    const boxes = boundingBoxes(center, 50);
    expect(boxes).toHaveLength(1);
    const circle = bearings.map((bearing) => destination(center, bearing, 50));
    for (const point of circle) expect(inside(boxes, point)).toBe(true);
    const [box] = boxes;
    expect(box.north).toBeCloseTo(destination(center, 0, 50).latitude, 9);
    expect(box.south).toBeCloseTo(destination(center, 180, 50).latitude, 9);
    // The widest point of the circle is east of the centre but north of due east, so the edge is
    // at the largest longitude any bearing reaches.
    const widest = Math.max(...Array.from({ length: 3601 }, (_, i) => destination(center, 80 + i * 0.01, 50).longitude));
    expect(box.east).toBeCloseTo(widest, 6);
    expect(box.west).toBeCloseTo(2 * center.longitude - widest, 6);
  });

  it('splits in two across the antimeridian', () => {
    const center = { latitude: -17.7, longitude: 179.9 };
    const boxes = boundingBoxes(center, 30);
    expect(boxes).toHaveLength(2);
    expect(boxes.map((box) => [box.west < box.east, box.east <= 180, box.west >= -180])).toEqual([
      [true, true, true],
      [true, true, true],
    ]);
    expect(boxes[0].east).toBe(180);
    expect(boxes[1].west).toBe(-180);
    for (const bearing of bearings) expect(inside(boxes, destination(center, bearing, 30))).toBe(true);
    const west = boundingBoxes({ latitude: 65, longitude: -179.95 }, 20);
    expect(west).toHaveLength(2);
    for (const bearing of bearings) expect(inside(west, destination({ latitude: 65, longitude: -179.95 }, bearing, 20))).toBe(true);
  });

  it('spans every longitude when the circle holds a pole', () => {
    const boxes = boundingBoxes({ latitude: 89.9, longitude: 10 }, 20);
    expect(boxes).toEqual([{ south: expect.closeTo(89.9 - (20 / EARTH_RADIUS_KM) / RAD, 9), north: 90, west: -180, east: 180 }]);
    expect(boundingBoxes({ latitude: -89.95, longitude: 10 }, 10)[0]).toMatchObject({ south: -90, west: -180, east: 180 });
  });
});

describe('withinRadius', () => {
  const center = { latitude: 0, longitude: 0 };
  const at = (code: string, km: number | null, bearing = 90) => {
    const point = km === null ? { latitude: null, longitude: null } : destination(center, bearing, km);
    return { code, ...point };
  };
  const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code);

  it('keeps the places inside, nearest first, and leaves out those without coordinates', () => {
    const places = [at('FAR', 12), at('NEAR', 3), at('OUT', 12.5), at('NONE', null), at('MID', 7, 200)];
    const found = withinRadius(center, 12.2, places, byCode);
    expect(found.map((hit) => hit.item.code)).toEqual(['NEAR', 'MID', 'FAR']);
    expect(found.map((hit) => hit.distanceKm)).toEqual([expect.closeTo(3, 6), expect.closeTo(7, 6), expect.closeTo(12, 6)]);
  });

  it('includes a place exactly on the boundary', () => {
    const place = at('EDGE', 5);
    const distance = greatCircleKm(center, place as LatLon);
    expect(withinRadius(center, distance, [place], byCode)).toHaveLength(1);
    expect(withinRadius(center, distance - 1e-9, [place], byCode)).toHaveLength(0);
  });

  it('orders equal distances by the tie-break', () => {
    const places = [at('C', 4, 0), at('A', 4, 0), at('B', 4, 0)];
    expect(withinRadius(center, 5, places, byCode).map((hit) => hit.item.code)).toEqual(['A', 'B', 'C']);
  });
});
