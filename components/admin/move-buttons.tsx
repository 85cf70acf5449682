"use client";

import { useActionState } from "react";
import type { FormState } from "#lib/core/forms.ts";
import { useHydrated } from "./use-hydrated.ts";

/*
 * Reordering without drag and drop: an up and a down button per row, each a
 * real button (Tab + Enter/Space), labelled with the item's name.
 */
export function MoveButtons(props: {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  kind: "component" | "group";
  id: string;
  name: string;
  first: boolean;
  last: boolean;
}) {
  const [state, formAction, pending] = useActionState(props.action, {});
  const ready = useHydrated();
  return (
    <form action={formAction} className="inline-flex gap-1">
      <input type="hidden" name="kind" value={props.kind} />
      <input type="hidden" name="id" value={props.id} />
      {(["up", "down"] as const).map((direction) => (
        <button
          key={direction}
          type="submit"
          name="direction"
          value={direction}
          disabled={!ready || pending || (direction === "up" ? props.first : props.last)}
          aria-label={`Move ${props.name} ${direction}`}
          className="rounded border border-gray-400 px-2 disabled:opacity-40"
        >
          {direction === "up" ? "↑" : "↓"}
        </button>
      ))}
      {state.message && !state.ok ? (
        <span role="alert" className="text-sm text-red-800">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
