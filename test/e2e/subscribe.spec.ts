/*
 * A subscriber's whole path, in Chromium against the production server (whose
 * in-process worker sends through the real Resend SDK to the test server
 * started by scripts/e2e-server.ts): subscribe → confirmation email →
 * confirm → choose components → an update arrives → RFC 8058 one-click
 * unsubscribe → no more mail.
 */
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_OWNER } from "../../scripts/demo-owner.ts";

interface Accepted {
  subject: string;
  text?: string;
  html?: string;
  headers: Record<string, string>;
  attachments: { filename: string; content: string }[];
}

/** Links carry the page's configured URL (the demo seed's); the test server listens elsewhere. */
const path = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

const resendUrl = () => readFileSync(join(process.env.E2E_STATE_DIR ?? join(tmpdir(), "candor-e2e-state"), "resend-url"), "utf8").trim();

async function inbox(page: Page, address: string): Promise<Accepted[]> {
  return (await page.request.get(`${resendUrl()}/_test/emails?to=${encodeURIComponent(address)}`)).json();
}

/** Waits for an email whose subject matches; mail goes out from the worker, not the request. */
async function waitForEmail(page: Page, address: string, subject: RegExp, budgetMs = 15_000): Promise<Accepted> {
  const started = Date.now();
  while (Date.now() - started < budgetMs) {
    const found = (await inbox(page, address)).find((e) => subject.test(e.subject));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no email matching ${subject} for ${address} within ${budgetMs} ms`);
}

async function declare(page: Page, title: string) {
  await page.goto("/admin");
  if (/sign-in/.test(page.url())) {
    await page.getByLabel("Email").fill(DEMO_OWNER.email);
    await page.getByLabel("Password").fill(DEMO_OWNER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }
  await page.getByRole("link", { name: "Declare incident" }).click();
  await page.getByRole("group", { name: "Affected components" }).getByRole("checkbox").first().check();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Severity").selectOption("SEV-2");
  await page.getByLabel("What is happening (description)").fill("slow responses");
  await page.getByRole("button", { name: "Preview" }).click();
  await page.getByRole("button", { name: "Publish incident" }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
}

test("subscribe, confirm, choose components, receive an update, one-click unsubscribe, no more mail", async ({ page, browser }) => {
  const address = `e2e-${Date.now()}@example.com`;

  // Subscribe: the answer never says whether the address was known.
  await page.goto("/subscribe");
  await page.getByLabel("Email address").fill(address);
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByRole("status")).toContainText("Check your inbox");

  // The confirmation email, read from the Resend test server.
  const confirmation = await waitForEmail(page, address, /Confirm your subscription/);
  const confirmLink = /https?:\/\/\S+\/confirm\/\S+/.exec(confirmation.text ?? "")?.[0];
  expect(confirmLink).toBeTruthy();

  // GET only shows a button: opening the link alone confirms nothing.
  await page.goto(path(confirmLink!));
  await expect(page.getByRole("heading", { name: "Confirm your subscription" })).toBeVisible();
  await page.getByRole("button", { name: "Confirm subscription" }).click();
  await expect(page.getByText(/Confirmed: you.ll receive/)).toBeVisible();

  // Choose components: tick every one (the update below affects one of them).
  const boxes = page.getByRole("group", { name: "Components" }).getByRole("checkbox");
  const count = await boxes.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) await boxes.nth(i).check();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await expect(boxes.first()).toBeChecked();
  const managePath = new URL(page.url()).pathname;

  // An update is posted by a comms lead (another browser context): it arrives with the timeline attached.
  const admin = await browser.newPage();
  const title = `Slow API ${Date.now()}`;
  await declare(admin, title);
  const update = await waitForEmail(page, address, new RegExp(`Investigating: ${title}`));
  expect(update.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
  expect(update.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/^INC-\d{4}-\d{4}-timeline\.txt$/)]);
  expect(update.text).toContain(managePath);

  // RFC 8058: the mail provider POSTs List-Unsubscribe=One-Click to the header's URL.
  // A GET (a link scanner) or a POST without that field changes nothing.
  const oneClick = path(/^<(.+)>$/.exec(update.headers["List-Unsubscribe"])![1]);
  await page.goto(oneClick);
  await expect(page.getByRole("button", { name: "Unsubscribe" })).toBeVisible();
  expect((await page.request.post(oneClick, { form: { other: "x" } })).status()).toBe(400);
  const response = await page.request.post(oneClick, { multipart: { "List-Unsubscribe": "One-Click" } });
  expect(response.status()).toBe(200);

  // Another update: nothing more for this address.
  const before = (await inbox(page, address)).length;
  const post = admin.getByRole("region", { name: /Post an update/ });
  await post.getByLabel("Root cause").fill("a saturated connection pool");
  await post.getByLabel("Expected resolution (eta)").fill("soon");
  await post.getByRole("button", { name: "Preview" }).click();
  await post.getByRole("button", { name: "Post update" }).click();
  await expect(admin.getByRole("listitem").filter({ hasText: "a saturated connection pool" })).toBeVisible();
  // The worker polls every 250 ms; give it ample time to (not) send.
  await new Promise((r) => setTimeout(r, 3_000));
  expect(await inbox(page, address)).toHaveLength(before);
  await page.goto(managePath);
  await expect(page.getByText(/No emails are sent to .* \(unsubscribed\)/)).toBeVisible();

  // The admin sees the subscriber's status and the update's delivery counts.
  await admin.goto(`/admin/subscribers?q=${encodeURIComponent(address)}`);
  await expect(admin.getByRole("row", { name: new RegExp(address) })).toContainText("unsubscribed");
  await admin.goto("/admin/outbox");
  const sent = admin.getByRole("row", { name: new RegExp(`${title} · investigating`) });
  await expect(sent).toBeVisible();
  await expect(sent.getByRole("cell").nth(3)).not.toHaveText("0");
});

/*
 * The same path with JavaScript off: every form is a plain POST to a server
 * action, which Next accepts only with the page's real Origin (a
 * `no-referrer` policy made Chromium send `Origin: null` and the action was
 * refused: the subscriber stayed pending, choices were lost).
 */
test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("subscribe, confirm, change components, unsubscribe; the token never reaches another site", async ({ page }) => {
    const address = `nojs-${Date.now()}@example.com`;
    await page.goto("/subscribe");
    await page.getByLabel("Email address").fill(address);
    await page.getByRole("button", { name: "Subscribe" }).click();
    await expect(page.getByRole("status")).toContainText("Check your inbox");

    const confirmation = await waitForEmail(page, address, /Confirm your subscription/);
    const confirmPath = path(/https?:\/\/\S+\/confirm\/\S+/.exec(confirmation.text ?? "")![0]);
    await page.goto(confirmPath);
    await page.getByRole("button", { name: "Confirm subscription" }).click();
    await expect(page.getByText(/Confirmed: you.ll receive/)).toBeVisible();
    const managePath = new URL(page.url()).pathname;
    expect(managePath).toMatch(/^\/manage\/[\w-]+\.[\w-]+$/);
    // The confirm link is used up.
    await page.goto(confirmPath);
    await expect(page.getByText("This confirmation link is not valid any more")).toBeVisible();

    // Choose only the first component; a fresh load of the page shows what was stored.
    await page.goto(managePath);
    const boxes = page.getByRole("group", { name: "Components" }).getByRole("checkbox");
    expect(await boxes.count()).toBeGreaterThan(1);
    await boxes.first().check();
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByText("Saved.")).toBeVisible();
    await page.goto(managePath);
    await expect(boxes.first()).toBeChecked();
    await expect(boxes.nth(1)).not.toBeChecked();

    // A link to another site (the support link) carries no Referer, so the token stays here.
    const referers: (string | undefined)[] = [];
    await page.route("https://example.com/**", (route) => {
      referers.push(route.request().headers().referer);
      return route.fulfill({ status: 200, contentType: "text/plain", body: "support" });
    });
    await page.getByRole("link", { name: "Support" }).click();
    await expect(page.getByText("support")).toBeVisible();
    expect(referers).toEqual([undefined]);

    await page.goto(managePath);
    await page.getByRole("link", { name: "Unsubscribe from all emails" }).click();
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await expect(page.getByRole("status")).toContainText("You are unsubscribed");
    await page.goto(managePath);
    await expect(page.getByText(/No emails are sent to .* \(unsubscribed\)/)).toBeVisible();
  });
});

/*
 * Issue 14: a subscriber who chose German on the subscribe form reads German
 * emails (confirmation, update), end to end through the Resend test server;
 * switching the language on the manage page changes the next email.
 */
test("a subscriber who chose German gets German emails; the manage page changes the language", async ({ page, browser }) => {
  const address = `de-${Date.now()}@example.com`;
  await page.goto("/subscribe");
  await page.getByLabel("Email address").fill(address);
  await page.getByLabel("Email language").selectOption({ label: "Deutsch" });
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByRole("status")).toContainText("Check your inbox");

  const confirmation = await waitForEmail(page, address, /Bestätigen Sie Ihr Abonnement/);
  expect(confirmation.html).toContain('lang="de"');
  await page.goto(path(/https?:\/\/\S+\/confirm\/\S+/.exec(confirmation.text ?? "")![0]));
  await page.getByRole("button", { name: "Confirm subscription" }).click();
  await expect(page.getByText(/Confirmed: you.ll receive/)).toBeVisible();
  await expect(page.getByLabel("Email language")).toHaveValue("de");
  const managePath = new URL(page.url()).pathname;

  const admin = await browser.newPage();
  const title = `Langsame API ${Date.now()}`;
  await declare(admin, title);
  const update = await waitForEmail(page, address, new RegExp(`Untersuchung: ${title}`));
  expect(update.text).toContain("Nächstes Update bis");
  expect(update.attachments[0].content).toContain("das neueste zuerst");

  // Back to English on the manage page: the next update is in English.
  await page.goto(managePath);
  await page.getByLabel("Email language").selectOption("en");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  const post = admin.getByRole("region", { name: /Post an update/ });
  await post.getByLabel("Root cause").fill("a saturated connection pool");
  await post.getByLabel("Expected resolution (eta)").fill("soon");
  await post.getByRole("button", { name: "Preview" }).click();
  await post.getByRole("button", { name: "Post update" }).click();
  const english = await waitForEmail(page, address, new RegExp(`^\\[.+\\] (Identified|Investigating|Monitoring|Resolved): ${title}$`));
  expect(english.html).toContain('lang="en"');
  expect(english.text).toContain("Next update by");
  await admin.close();
});
