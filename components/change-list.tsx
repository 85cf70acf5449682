import { changeLine, type ComponentChange } from "#lib/core/timeline.ts";

/** The component changes an update made, a line each (the public timeline and the admin's); nothing when it made none. */
export function ChangeList({ changes, className }: { changes: ComponentChange[]; className: string }) {
  if (changes.length === 0) return null;
  return (
    <ul className={className}>
      {changes.map((c) => (
        <li key={c.component_id}>{changeLine(c)}</li>
      ))}
    </ul>
  );
}
