/**
 * stop_times stored column-wise in typed arrays: about 40 bytes a row, against several hundred for
 * an object with strings, so 600,000 rows take ~24 MB. Stops, trips and platforms are indexes into
 * the feed's tables. After loading, `group()` orders the rows by trip and stop_sequence without
 * moving them (stop_times.txt need not be sorted).
 */
export class StopTimeColumns {
  length = 0;
  trip = new Int32Array(0);
  stop = new Int32Array(0);
  sequence = new Int32Array(0);
  /** Seconds since the service day's start, -1 when empty. */
  arrival = new Int32Array(0);
  departure = new Int32Array(0);
  /** Index into `platforms`, -1 when none. */
  platform = new Int32Array(0);
  pickup = new Uint8Array(0);
  dropOff = new Uint8Array(0);
  /** NaN when empty. */
  distance = new Float64Array(0);
  line = new Int32Array(0);
  readonly platforms: string[] = [];
  private readonly platformIndex = new Map<string, number>();

  /** Row indexes ordered by trip, then stop_sequence; trip t owns order[tripStart[t] .. tripStart[t + 1]). */
  order = new Int32Array(0);
  tripStart = new Int32Array(1);

  push(trip: number, stop: number, sequence: number, arrival: number, departure: number, platform: string, pickup: number, dropOff: number, distance: number, line: number): void {
    if (this.length === this.trip.length) this.grow(Math.max(1024, this.length * 2));
    const at = this.length++;
    this.trip[at] = trip;
    this.stop[at] = stop;
    this.sequence[at] = sequence;
    this.arrival[at] = arrival;
    this.departure[at] = departure;
    this.platform[at] = platform === '' ? -1 : this.platformId(platform);
    this.pickup[at] = pickup;
    this.dropOff[at] = dropOff;
    this.distance[at] = distance;
    this.line[at] = line;
  }

  /** Sorts by trip (counting sort) and, within a trip, by stop_sequence; trims the arrays. */
  group(tripCount: number): void {
    this.grow(this.length);
    const start = new Int32Array(tripCount + 1);
    for (let row = 0; row < this.length; row++) start[this.trip[row] + 1]++;
    for (let t = 0; t < tripCount; t++) start[t + 1] += start[t];
    const next = start.slice(0, tripCount);
    const order = new Int32Array(this.length);
    for (let row = 0; row < this.length; row++) order[next[this.trip[row]]++] = row;
    // Insertion sort per trip: linear for the usual file already in stop_sequence order.
    const sequence = this.sequence;
    for (let t = 0; t < tripCount; t++) {
      for (let i = start[t] + 1; i < start[t + 1]; i++) {
        const row = order[i];
        let j = i - 1;
        while (j >= start[t] && sequence[order[j]] > sequence[row]) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = row;
      }
    }
    this.order = order;
    this.tripStart = start;
  }

  private platformId(platform: string): number {
    let id = this.platformIndex.get(platform);
    if (id === undefined) {
      id = this.platforms.length;
      this.platforms.push(platform);
      this.platformIndex.set(platform, id);
    }
    return id;
  }

  private grow(capacity: number): void {
    const resize = <A extends Int32Array | Uint8Array | Float64Array>(array: A, make: (n: number) => A): A => {
      const next = make(capacity);
      next.set(array.subarray(0, Math.min(this.length, capacity)));
      return next;
    };
    this.trip = resize(this.trip, (n) => new Int32Array(n));
    this.stop = resize(this.stop, (n) => new Int32Array(n));
    this.sequence = resize(this.sequence, (n) => new Int32Array(n));
    this.arrival = resize(this.arrival, (n) => new Int32Array(n));
    this.departure = resize(this.departure, (n) => new Int32Array(n));
    this.platform = resize(this.platform, (n) => new Int32Array(n));
    this.pickup = resize(this.pickup, (n) => new Uint8Array(n));
    this.dropOff = resize(this.dropOff, (n) => new Uint8Array(n));
    this.distance = resize(this.distance, (n) => new Float64Array(n));
    this.line = resize(this.line, (n) => new Int32Array(n));
  }
}
