import { COMPONENT_STATUSES, componentStatusMeta, updateStatusMeta } from "#lib/core/statuses.ts";
import type { Option } from "./form-fields.tsx";

/* Status choices for admin selects, labelled as everywhere else. */

export function updateStatusOptions(statuses: readonly (keyof typeof updateStatusMeta)[]): Option[] {
  return statuses.map((s) => ({ value: s, label: updateStatusMeta[s].label }));
}

export const componentStatusOptions: Option[] = COMPONENT_STATUSES.map((s) => ({ value: s, label: componentStatusMeta[s].label }));
