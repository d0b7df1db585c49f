/**
 * Keyv's text format for an entry, read with the native JSON.parse where it gives the same
 * values. Keyv's serializer (@keyv/serialize) writes plain JSON but for two escapes: a string
 * starting with ':' gets another ':' in front, and a Buffer is written as a ':base64:…' string;
 * its reader undoes both with a reviver, called for every value. So where no string of the text
 * starts with ':' (no `":` right after the `:`, `[` or `,` that opens a value), the text is plain
 * JSON, and JSON.parse without a reviver reads it several times faster (the 100,000 run states of
 * a tick: 1% of them changing, 870 → 700 ms). Keyv's reader takes the other texts.
 *
 * Writes keep Keyv's serializer: JSON.stringify was faster there too (a tick writing 100,000
 * states, 6.8 → 5.4 s), but its flat strings, all alive until the MULTIs took them, made for
 * collections that held the event loop up to 170 ms, against 80 with Keyv's.
 */
const STRING_STARTING_WITH_COLON = /[:[,]":/;

export type DeserializeEntry = (text: string) => { value?: unknown; expires?: number } | undefined | Promise<{ value?: unknown; expires?: number } | undefined>;

/** An entry from Keyv's text; `keyvDeserialize` where a string starts with ':'. */
export function deserializeEntry(text: string, keyvDeserialize: DeserializeEntry): ReturnType<DeserializeEntry> {
  return STRING_STARTING_WITH_COLON.test(text) ? keyvDeserialize(text) : (JSON.parse(text) as { value?: unknown; expires?: number });
}
