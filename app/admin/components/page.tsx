import { ActionForm } from "#components/admin/action-form.tsx";
import { MoveButtons } from "#components/admin/move-buttons.tsx";
import { can } from "#lib/domain/actors.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { listComponents, listGroups, type ComponentWithStatus } from "#lib/domain/components.ts";
import { componentStatusMeta, COMPONENT_STATUSES } from "#lib/core/statuses.ts";
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
  const statusOptions = COMPONENT_STATUSES.map((s) => ({ value: s, label: componentStatusMeta[s].label }));
  // Top level: groups and ungrouped components share one order.
  const top = [
    ...groups.map((g) => ({ kind: "group" as const, id: g.id, position: g.position, group: g })),
    ...components.filter((c) => !c.group_id).map((c) => ({ kind: "component" as const, id: c.id, position: c.position, component: c })),
  ].sort((a, b) => a.position - b.position);

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
        <details className="mt-2 text-sm">
          <summary>Edit {c.name}</summary>
          <div className="mt-2 grid gap-4 md:grid-cols-2">
            <ActionForm
              action={editComponentAction}
              submitLabel="Save component"
              idPrefix={`edit-${c.id}`}
              fields={[
                { name: "id", label: "Component", type: "hidden", defaultValue: c.id },
                { name: "name", label: "Name", defaultValue: c.name },
                { name: "description", label: "Description", defaultValue: c.description ?? "" },
                { name: "groupId", label: "Group", type: "select", options: groupOptions, defaultValue: c.group_id ?? "" },
                { name: "onlyShowIfDegraded", label: "Hide on the page until it is not operational", type: "checkbox", defaultValue: c.only_show_if_degraded ? "on" : "" },
              ]}
            />
            <div className="space-y-4">
              <ActionForm
                action={setStatusAction}
                submitLabel="Set status"
                idPrefix={`status-${c.id}`}
                fields={[
                  { name: "id", label: "Component", type: "hidden", defaultValue: c.id },
                  { name: "status", label: "Status (outside an incident)", type: "select", options: statusOptions, defaultValue: c.status },
                ]}
              />
              <ActionForm
                action={archiveAction}
                submitLabel={`Archive ${c.name}`}
                idPrefix={`archive-${c.id}`}
                danger
                fields={[
                  { name: "kind", label: "Kind", type: "hidden", defaultValue: "component" },
                  { name: "id", label: "Component", type: "hidden", defaultValue: c.id },
                ]}
              />
            </div>
          </div>
        </details>
      ) : null}
    </li>
  );

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Components</h1>
      <ol className="space-y-2" aria-label="Page order">
        {top.map((item, i) => {
          if (item.kind === "component") return componentRow(item.component, i, top.length);
          const children = components.filter((c) => c.group_id === item.id);
          return (
            <li key={item.id} className="rounded border border-gray-400 bg-gray-100 p-2">
              <div className="flex flex-wrap items-center gap-3">
                {editor ? <MoveButtons action={moveAction} kind="group" id={item.id} name={item.group.name} first={i === 0} last={i === top.length - 1} /> : null}
                <span className="font-semibold">{item.group.name}</span>
                <span className="text-xs text-gray-700">group</span>
              </div>
              {editor ? (
                <details className="mt-2 text-sm">
                  <summary>Edit group {item.group.name}</summary>
                  <div className="mt-2 grid gap-4 md:grid-cols-2">
                    <ActionForm
                      action={editGroupAction}
                      submitLabel="Save group"
                      idPrefix={`group-${item.id}`}
                      fields={[
                        { name: "id", label: "Group", type: "hidden", defaultValue: item.id },
                        { name: "name", label: "Name", defaultValue: item.group.name },
                        { name: "description", label: "Description", defaultValue: item.group.description ?? "" },
                      ]}
                    />
                    <ActionForm
                      action={archiveAction}
                      submitLabel={`Archive group ${item.group.name}`}
                      idPrefix={`archive-${item.id}`}
                      danger
                      fields={[
                        { name: "kind", label: "Kind", type: "hidden", defaultValue: "group" },
                        { name: "id", label: "Group", type: "hidden", defaultValue: item.id },
                      ]}
                    />
                  </div>
                </details>
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
          <section aria-labelledby="new-component" className="rounded border border-gray-300 bg-white p-4">
            <h2 id="new-component" className="mb-2 text-lg font-semibold">
              New component
            </h2>
            <ActionForm
              action={createComponentAction}
              submitLabel="Create component"
              fields={[
                { name: "name", label: "Name" },
                { name: "description", label: "Description" },
                { name: "groupId", label: "Group", type: "select", options: groupOptions, defaultValue: "" },
                { name: "onlyShowIfDegraded", label: "Hide on the page until it is not operational", type: "checkbox" },
              ]}
            />
          </section>
          <section aria-labelledby="new-group" className="rounded border border-gray-300 bg-white p-4">
            <h2 id="new-group" className="mb-2 text-lg font-semibold">
              New group
            </h2>
            <ActionForm
              action={createGroupAction}
              submitLabel="Create group"
              fields={[
                { name: "name", label: "Name" },
                { name: "description", label: "Description" },
              ]}
            />
          </section>
        </div>
      ) : null}
    </div>
  );
}
