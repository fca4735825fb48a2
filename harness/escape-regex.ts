/** `text` as a regular expression that matches exactly it (for patterns built from names and values). */
export const escapeRegex = (text: string): string => text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
