import type { Db } from "#db/client.ts";
import { invalidInput, notFound, type FieldIssue } from "#lib/core/errors.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { archiveComponent, archiveGroup, changeComponentStatus, createComponent, createGroup, editComponent, editGroup } from "#lib/domain/components.ts";
import { getPage, updatePageSettings } from "#lib/domain/page-settings.ts";
import { publicBasics, type PublicComponent, type PublicGroup } from "#lib/public/statuspage-v2.ts";
import { parseBody } from "./bodies.ts";
import { asClientFields, correctIncidentUpdate, createIncident, removeIncident, updateIncident } from "./incident-writes.ts";
import { writeMetricsOrEmbed } from "./metrics.ts";
import { writePostmortem } from "./postmortems.ts";
import { readStatuspageV1 } from "./reads.ts";
import { writeSubscribers } from "./subscribers.ts";
import { createIncidentTemplate } from "./templates.ts";
import { componentBody, groupBody, incidentBody, incidentUpdateBody, pageBody } from "./schemas.ts";

/*
 * The write endpoints of Statuspage's v1 API, by method and path below
 * /pages/{page_id}. Each parses its body with its schema, calls the
 * domain's audited writes as the key's actor, and answers with the object
 * read back as GET would, and the status code the reference gives.
 */

export type WriteMethod = "POST" | "PATCH" | "PUT" | "DELETE";

export interface Answer {
  status: number;
  body: object | null;
}

function required(value: unknown, field: string): FieldIssue[] {
  return value === undefined ? [{ field, message: "is required" }] : [];
}

function failIfAny(issues: FieldIssue[]): void {
  if (issues.length) throw invalidInput(issues);
}

/** Moves a component into a group (or out, with null), keeping everything else as it is. */
function moveComponent(db: Db, actor: Actor, c: PublicComponent, groupId: string | null) {
  return editComponent(db, actor, {
    id: c.id,
    name: c.name,
    description: c.description,
    groupId,
    showcase: c.showcase,
    onlyShowIfDegraded: c.only_show_if_degraded,
  });
}

/** The answer for a write to `rest`, the segments after /pages/{page_id}; null when no such endpoint exists. */
export async function writeStatuspageV1(db: Db, actor: Actor, method: WriteMethod, pageId: string, rest: string[], raw: unknown): Promise<Answer | null> {
  const [page, components, groups] = await publicBasics(db);
  if (pageId !== page.id) throw notFound("page");
  const read = async (path: string[]) => (await readStatuspageV1(db, pageId, path, new URLSearchParams()))!;
  const [resource, id, sub, subId, more] = rest;
  if (more !== undefined) return null;
  const update = method === "PATCH" || method === "PUT";

  if (resource === undefined && update) {
    const p = parseBody(pageBody, raw).page;
    const settings = await getPage(db);
    await asClientFields("page", () =>
      updatePageSettings(db, actor, {
        name: p.name ?? settings.name,
        url: p.url ?? settings.url,
        timeZone: p.time_zone ?? settings.time_zone,
        supportUrl: p.support_url === undefined ? settings.support_url : p.support_url,
        logoUrl: settings.logo_url,
        senderEmail: settings.sender_email,
      }),
    );
    return { status: 200, body: await read([]) };
  }

  if (resource === "incidents") {
    if (id === undefined && method === "POST") {
      const created = await createIncident(db, actor, parseBody(incidentBody, raw).incident, components);
      return { status: 201, body: await read(["incidents", created]) };
    }
    if (id !== undefined && sub === undefined && update) {
      await updateIncident(db, actor, id, parseBody(incidentBody, raw).incident, components);
      return { status: 200, body: await read(["incidents", id]) };
    }
    if (id !== undefined && sub === undefined && method === "DELETE") {
      // Statuspage answers a delete with the incident as it was.
      const before = await read(["incidents", id]);
      await removeIncident(db, actor, id);
      return { status: 200, body: before };
    }
    if (id !== undefined && sub === "postmortem") return writePostmortem(db, actor, method, id, subId, raw, page.time_zone);
    if (id !== undefined && sub === "incident_updates" && subId !== undefined && update) {
      await correctIncidentUpdate(db, actor, id, subId, parseBody(incidentUpdateBody, raw).incident_update.body);
      const incident = (await read(["incidents", id])) as { incident_updates: { id: string }[] };
      return { status: 200, body: incident.incident_updates.find((u) => u.id === subId)! };
    }
    return null;
  }

  if (resource === "subscribers" && sub === undefined) return writeSubscribers(db, actor, method, id, raw, components, page.time_zone);
  if (resource === "incident_templates" && id === undefined && method === "POST") return createIncidentTemplate(db, actor, raw);
  if (resource === "metrics" || resource === "status_embed_config") {
    return writeMetricsOrEmbed(db, actor, method, [resource, id, sub, subId], raw, { id: page.id, zone: page.time_zone });
  }

  if (resource === "components" && sub === undefined) {
    if (id === undefined && method === "POST") {
      const c = parseBody(componentBody, raw).component;
      failIfAny([...required(c.name, "component.name"), ...groupIssues(c.group_id, groups, "component.group_id")]);
      const created = await asClientFields("component", () =>
        createComponent(db, actor, {
          name: c.name,
          description: c.description,
          groupId: c.group_id ?? null,
          showcase: c.showcase ?? true,
          onlyShowIfDegraded: c.only_show_if_degraded ?? false,
          startDate: c.start_date,
          status: c.status ?? "operational",
        }),
      );
      return { status: 201, body: await read(["components", created.id]) };
    }
    const current = components.find((c) => c.id === id);
    if (id !== undefined && update) {
      if (!current) throw notFound("component");
      const c = parseBody(componentBody, raw).component;
      failIfAny(groupIssues(c.group_id, groups, "component.group_id"));
      await asClientFields("component", async () => {
        if ([c.name, c.description, c.group_id, c.showcase, c.only_show_if_degraded].some((v) => v !== undefined)) {
          await editComponent(db, actor, {
            id: current.id,
            name: c.name ?? current.name,
            description: c.description === undefined ? current.description : c.description,
            groupId: c.group_id === undefined ? current.group_id : c.group_id,
            showcase: c.showcase ?? current.showcase,
            onlyShowIfDegraded: c.only_show_if_degraded ?? current.only_show_if_degraded,
          });
        }
        if (c.status !== undefined && c.status !== current.status) await changeComponentStatus(db, actor, { componentId: current.id, status: c.status });
      });
      return { status: 200, body: await read(["components", current.id]) };
    }
    if (id !== undefined && method === "DELETE") {
      if (!current) throw notFound("component");
      await archiveComponent(db, actor, { id: current.id });
      return { status: 204, body: null };
    }
    return null;
  }

  if (resource === "component-groups" && sub === undefined) {
    const current = groups.find((g) => g.id === id);
    if (id !== undefined && !current) throw notFound("component group");
    if (!(id === undefined ? method === "POST" : update || method === "DELETE")) return null;
    if (method === "DELETE") {
      const before = await read(["component-groups", current!.id]);
      await archiveGroup(db, actor, { id: current!.id });
      return { status: 200, body: before };
    }
    const body = parseBody(groupBody, raw);
    const g = body.component_group;
    const description = g.description ?? body.description;
    const members = (g.components ?? []).map((cid, i) => ({ i, c: components.find((c) => c.id === cid) }));
    failIfAny([
      ...(current ? [] : required(g.name, "component_group.name")),
      ...members.flatMap(({ i, c }) => (c ? [] : [{ field: `component_group.components.${i}`, message: "is not a component" }])),
    ]);
    const groupId = await asClientFields("component_group", async () => {
      const target = current ? current.id : (await createGroup(db, actor, { name: g.name, description })).id;
      if (current && (g.name !== undefined || description !== undefined)) {
        await editGroup(db, actor, { id: current.id, name: g.name ?? current.name, description: description === undefined ? current.description : description });
      }
      if (g.components !== undefined) {
        const listed = new Set(g.components);
        for (const c of components) {
          if (listed.has(c.id) && c.group_id !== target) await moveComponent(db, actor, c, target);
          else if (!listed.has(c.id) && c.group_id === target) await moveComponent(db, actor, c, null);
        }
      }
      return target;
    });
    return { status: current ? 200 : 201, body: await read(["component-groups", groupId]) };
  }
  return null;
}

function groupIssues(groupId: string | null | undefined, groups: PublicGroup[], field: string): FieldIssue[] {
  return groupId && !groups.some((g) => g.id === groupId) ? [{ field, message: "is not a component group" }] : [];
}
