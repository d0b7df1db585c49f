/** Escapes LIKE wildcards so user text is matched literally (`ESCAPE '\'`). */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);
