import { ActionForm, type FieldSpec } from "#components/admin/action-form.tsx";
import { AdminSection, EditDetails } from "#components/admin/admin-section.tsx";
import { MoveButtons } from "#components/admin/move-buttons.tsx";
import { componentStatusOptions } from "#components/admin/status-options.ts";
import { can } from "#lib/domain/actors.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { listComponents, listGroups, type ComponentWithStatus } from "#lib/domain/components.ts";
import { pageOrder } from "#lib/core/page-order.ts";
import { componentStatusMeta } from "#lib/core/statuses.ts";
import {
  archiveAction,
  createComponentAction,
  createGroupAction,
  editComponentAction,
  editGroupAction,
  moveAction,
  setStatusAction,
} from "./actions.ts";

export const metadata = { title: "Components" };

export default async function ComponentsPage() {
  const { db, actor } = await requireSession("viewer");
  const [components, groups] = await Promise.all([listComponents(db), listGroups(db)]);
  const editor = can(actor, "editor");
  const groupOptions = [{ value: "", label: "(no group)" }, ...groups.map((g) => ({ value: g.id, label: g.name }))];
  // Top level: groups and ungrouped components share one order, the page's.
  const top = pageOrder(components, groups).map((row) => ({ ...row, id: row.kind === "group" ? row.group.id : row.component.id }));

  const archiveForm = (kind: "component" | "group", id: string, what: string) => (
    <ActionForm
      action={archiveAction}
      submitLabel={`Archive ${what}`}
      idPrefix={`archive-${id}`}
      danger
      fields={[
        { name: "kind", label: "Kind", type: "hidden", defaultValue: kind },
        { name: "id", label: kind === "group" ? "Group" : "Component", type: "hidden", defaultValue: id },
      ]}
    />
  );

  /* The create and edit forms' fields; filled from the item when editing. */
  const componentFields = (c?: ComponentWithStatus): FieldSpec[] => [
    { name: "name", label: "Name", defaultValue: c?.name },
    { name: "description", label: "Description", defaultValue: c?.description ?? "" },
    { name: "groupId", label: "Group", type: "select", options: groupOptions, defaultValue: c?.group_id ?? "" },
    { name: "onlyShowIfDegraded", label: "Hide on the page until it is not operational", type: "checkbox", defaultValue: c?.only_show_if_degraded ? "on" : "" },
  ];
  const groupFields = (g?: { name: string; description: string | null }): FieldSpec[] => [
    { name: "name", label: "Name", defaultValue: g?.name },
    { name: "description", label: "Description", defaultValue: g?.description ?? "" },
  ];

  const componentRow = (c: ComponentWithStatus, i: number, siblings: number) => (
    <li key={c.id} className="rounded border border-gray-300 bg-white p-2">
      <div className="flex flex-wrap items-center gap-3">
        {editor ? <MoveButtons action={moveAction} kind="component" id={c.id} name={c.name} first={i === 0} last={i === siblings - 1} /> : null}
        <span className="font-medium">{c.name}</span>
        <span className="text-sm" style={{ color: componentStatusMeta[c.status].color }}>
          {componentStatusMeta[c.status].icon} {componentStatusMeta[c.status].label}
        </span>
        {c.only_show_if_degraded ? <span className="text-xs text-gray-700">hidden until degraded</span> : null}
      </div>
      {editor ? (
        <EditDetails summary={`Edit ${c.name}`} className="grid gap-4 md:grid-cols-2">
          <ActionForm
            action={editComponentAction}
            submitLabel="Save component"
            idPrefix={`edit-${c.id}`}
            fields={[
              { name: "id", label: "Component", type: "hidden", defaultValue: c.id },
              ...componentFields(c),
            ]}
          />
          <div className="space-y-4">
            <ActionForm
              action={setStatusAction}
              submitLabel="Set status"
              idPrefix={`status-${c.id}`}
              fields={[
                { name: "id", label: "Component", type: "hidden", defaultValue: c.id },
                { name: "status", label: "Status (outside an incident)", type: "select", options: componentStatusOptions, defaultValue: c.status },
              ]}
            />
            {archiveForm("component", c.id, c.name)}
          </div>
        </EditDetails>
      ) : null}
    </li>
  );

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Components</h1>
      <ol className="space-y-2" aria-label="Page order">
        {top.map((item, i) => {
          if (item.kind === "component") return componentRow(item.component, i, top.length);
          const { children } = item;
          return (
            <li key={item.id} className="rounded border border-gray-400 bg-gray-100 p-2">
              <div className="flex flex-wrap items-center gap-3">
                {editor ? <MoveButtons action={moveAction} kind="group" id={item.id} name={item.group.name} first={i === 0} last={i === top.length - 1} /> : null}
                <span className="font-semibold">{item.group.name}</span>
                <span className="text-xs text-gray-700">group</span>
              </div>
              {editor ? (
                <EditDetails summary={`Edit group ${item.group.name}`} className="grid gap-4 md:grid-cols-2">
                  <ActionForm
                    action={editGroupAction}
                    submitLabel="Save group"
                    idPrefix={`group-${item.id}`}
                    fields={[
                      { name: "id", label: "Group", type: "hidden", defaultValue: item.id },
                      ...groupFields(item.group),
                    ]}
                  />
                  {archiveForm("group", item.id, `group ${item.group.name}`)}
                </EditDetails>
              ) : null}
              <ol className="mt-2 space-y-2 pl-6" aria-label={`${item.group.name} components`}>
                {children.map((c, j) => componentRow(c, j, children.length))}
              </ol>
            </li>
          );
        })}
      </ol>
      {editor ? (
        <div className="grid gap-6 md:grid-cols-2">
          <AdminSection id="new-component" title="New component" boxed>
            <ActionForm action={createComponentAction} submitLabel="Create component" fields={componentFields()} />
          </AdminSection>
          <AdminSection id="new-group" title="New group" boxed>
            <ActionForm action={createGroupAction} submitLabel="Create group" fields={groupFields()} />
          </AdminSection>
        </div>
      ) : null}
    </div>
  );
}
