import { openDatabase } from "../db/client.ts";
import { systemActor } from "../lib/actors.ts";
import { createGroup, createComponent, listComponents } from "../lib/components.ts";
import { declareIncident, postUpdate } from "../lib/incidents.ts";
import { scheduleMaintenance, advanceDueMaintenance } from "../lib/maintenance.ts";
const h = await openDatabase({ dataDir: "memory://" });
const g = await createGroup(h.db, systemActor, { name: "API" });
const c = await createComponent(h.db, systemActor, { name: "REST", groupId: g.id });
const c2 = await createComponent(h.db, systemActor, { name: "Web" });
const { incident } = await declareIncident(h.db, systemActor, { name: "Down", severity: "SEV-1", body: "x", components: [{ id: c.id, status: "major_outage" }] });
console.log(incident.reference, incident.status, incident.next_update_due_at);
await postUpdate(h.db, systemActor, { incidentId: incident.id, status: "resolved", body: "ok", components: [{ id: c.id, status: "operational" }] });
try { await postUpdate(h.db, systemActor, { incidentId: incident.id, status: "scheduled", body: "{{eta}} x" }); } catch (e) { console.log("expected:", (e as Error).message); }
const m = await scheduleMaintenance(h.db, systemActor, { name: "M", body: "b", components: [c2.id], scheduledFor: new Date(Date.now() - 1000), scheduledUntil: new Date(Date.now() + 3600e3) });
console.log(await advanceDueMaintenance(h.db));
console.log((await listComponents(h.db)).map((x) => [x.name, x.status, x.position]));
await h.close();
