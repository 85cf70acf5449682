/* CSV as RFC 4180 writes it: a field with a quote, comma or line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(",");
}
