import { openDatabase } from "#db/client.ts";
import { seedDemo } from "./demo-data.ts";

// `npm run seed`: demo data into the configured database (DATABASE_URL, or PGlite in PGLITE_DIR / .data/pglite).
const handle = await openDatabase();
const started = Date.now();
const { seeded } = await seedDemo(handle.db);
console.log(seeded ? `Seeded demo data in ${Date.now() - started} ms.` : "The database already has components; nothing seeded.");
await handle.close();
