/** A coloured glyph that always travels with a text label: colour is never the only signal. */
export function StatusIcon({ color, icon }: { color: string; icon: string }) {
  return (
    <span aria-hidden="true" className="status-icon" style={{ backgroundColor: color }}>
      {icon}
    </span>
  );
}
