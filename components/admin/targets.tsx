import { MILESTONE_LABELS, TARGET_LABELS, TARGET_STATE_META, type Milestones, type TargetCheck } from "#lib/core/milestones.ts";
import { formatDateTime, formatDuration } from "#lib/core/time.ts";

/* What a target's state says in words: the symbol is never the only sign. */
function detail(c: TargetCheck, zone: string): string {
  if (c.target === null || c.state === "not_measured") return "";
  const within = formatDuration(c.target * 60_000);
  if (c.took !== null) return `took ${formatDuration(c.took * 60_000)} of ${within}`;
  return c.dueAt ? `due ${formatDateTime(c.dueAt, zone)} (${within})` : `within ${within}`;
}

/* An incident's targets, inline: the admin list's column. */
export function TargetSummary({ checks }: { checks: TargetCheck[] }) {
  const shown = checks.filter((c) => c.state !== "not_measured");
  if (shown.length === 0) return <>—</>;
  return (
    <ul className="space-y-0.5 text-xs">
      {shown.map((c) => (
        <li key={c.kind}>
          {TARGET_LABELS[c.kind]}:{" "}
          <span style={{ color: TARGET_STATE_META[c.state].color }} className={c.state === "missed" || c.state === "due_soon" ? "font-semibold" : undefined}>
            {TARGET_STATE_META[c.state].label}
          </span>
        </li>
      ))}
    </ul>
  );
}

/* The incident page's milestones and targets: live while open, the scorecard once closed. */
export function Scorecard({ milestones, checks, zone, open }: { milestones: Milestones; checks: TargetCheck[]; zone: string; open: boolean }) {
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <table className="text-sm">
        <caption className="text-left font-medium">Milestones</caption>
        <tbody>
          {(Object.keys(MILESTONE_LABELS) as (keyof Milestones)[]).map((key) => (
            <tr key={key}>
              <th scope="row" className="pr-3 text-left font-normal text-gray-700">
                {MILESTONE_LABELS[key]}
              </th>
              <td>{milestones[key] ? formatDateTime(milestones[key], zone) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="text-sm">
        <caption className="text-left font-medium">{open ? "Targets" : "Scorecard"}</caption>
        <tbody>
          {checks.map((c) => (
            <tr key={c.kind}>
              <th scope="row" className="pr-3 text-left font-normal text-gray-700">
                {TARGET_LABELS[c.kind]}
              </th>
              <td className="pr-3 font-semibold" style={{ color: TARGET_STATE_META[c.state].color }}>
                {TARGET_STATE_META[c.state].label}
              </td>
              <td className="text-gray-700">{detail(c, zone)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
