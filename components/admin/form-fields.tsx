import type { ReactNode } from "react";

/* The pieces every admin form is built from: one input style, one way to show an error beside its field. */

export type Option = { value: string; label: string };

export const inputClass =
  "mt-1 block w-full rounded border border-gray-400 bg-white px-2 py-1.5 text-gray-900 focus:outline-2 focus:outline-offset-1 focus:outline-blue-700";

/** The id of the message that explains why the field with this id was refused. */
export function errorId(fieldId: string): string {
  return `${fieldId}-error`;
}

/** aria attributes that tie a field to its error message, if it has one. */
export function invalidProps(fieldId: string, error: string | undefined) {
  return { "aria-invalid": !!error, "aria-describedby": error ? errorId(fieldId) : undefined };
}

/** The refusal beside a field; `label` names the field in the text, for screen readers that read it alone. */
export function FieldError({ fieldId, error, label }: { fieldId: string; error: string | undefined; label?: string }) {
  if (!error) return null;
  return (
    <p id={errorId(fieldId)} className="text-sm text-red-800">
      {label ? `${label} ${error}` : error}
    </p>
  );
}

/** A message about the whole form, announced when it appears. */
export function FormAlert({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded bg-red-50 p-2 text-red-800">
      {message}
    </p>
  );
}

/** A labelled select whose value lives in the caller's state. */
export function SelectField(props: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  options: Option[];
  /** Label of a leading empty choice, if the field may be left unset. */
  empty?: string;
  error?: string;
}) {
  return (
    <div>
      <label htmlFor={props.id} className="block text-sm font-medium">
        {props.label}
      </label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)} className={inputClass} {...invalidProps(props.id, props.error)}>
        {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError fieldId={props.id} error={props.error} />
    </div>
  );
}

/** A labelled text input (or textarea, given rows) whose value lives in the caller's state. */
export function TextField(props: { id: string; label: ReactNode; value: string; onChange: (value: string) => void; rows?: number; error?: string }) {
  const common = {
    id: props.id,
    value: props.value,
    className: inputClass,
    ...invalidProps(props.id, props.error),
  };
  return (
    <div>
      <label htmlFor={props.id} className="block text-sm font-medium">
        {props.label}
      </label>
      {props.rows ? (
        <textarea rows={props.rows} onChange={(e) => props.onChange(e.target.value)} {...common} />
      ) : (
        <input onChange={(e) => props.onChange(e.target.value)} {...common} />
      )}
      <FieldError fieldId={props.id} error={props.error} />
    </div>
  );
}
