import type { ReactNode } from "react";

export interface AdminColumn<Row> {
  header: string;
  /** The header is for screen readers only (a column of buttons needs a name, not a visible one). */
  hideHeader?: boolean;
  /** This column's cell names the row (`<th scope="row">`): screen readers announce it with every other cell. */
  rowHeader?: boolean;
  /** Classes added to this column's cells. */
  className?: string;
  cell: (row: Row) => ReactNode;
}

/*
 * The admin's one table: a header per column, an optional caption, the row
 * that names itself, and a sentence in place of a table with no rows.
 * It only renders what it is given.
 */
export function AdminTable<Row>(props: {
  columns: readonly AdminColumn<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** Shown instead of the table when there are no rows. */
  empty: string;
  caption?: string;
  /** An anchor per row, for links to one entry. */
  rowId?: (row: Row) => string;
  rowClassName?: (row: Row) => string;
}) {
  if (props.rows.length === 0) return <p className="text-gray-700">{props.empty}</p>;
  return (
    <table className="w-full border-collapse bg-white text-left text-sm">
      {props.caption ? <caption className="mb-1 text-left font-semibold">{props.caption}</caption> : null}
      <thead>
        <tr className="border-b border-gray-300">
          {props.columns.map((column) => (
            <th key={column.header} scope="col" className="p-2">
              {column.hideHeader ? <span className="sr-only">{column.header}</span> : column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={props.rowKey(row)} id={props.rowId?.(row)} className={classes("border-b border-gray-200", props.rowClassName?.(row))}>
            {props.columns.map((column) =>
              column.rowHeader ? (
                <th key={column.header} scope="row" className={classes("p-2 text-left font-medium", column.className)}>
                  {column.cell(row)}
                </th>
              ) : (
                <td key={column.header} className={classes("p-2", column.className)}>
                  {column.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function classes(base: string, extra: string | undefined): string {
  return extra ? `${base} ${extra}` : base;
}
