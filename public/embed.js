/*
 * Candor's in-app widget: <candor-status mode="banner|toast|badge" components="id,id">.
 * Plain script, no framework, closed shadow DOM; README.md "In-app widget".
 * Every element on a page shares one poll of /embed/status.json: once a
 * minute at most, none while the tab is hidden, revalidated by the browser
 * with the ETag (a plain CORS GET: no preflight); an unchanged ETag renders
 * nothing new. A dismissed item stays hidden (localStorage) until its
 * latest update changes. Size budget: 5 KB gzipped (test/unit/embed-widget.test.ts).
 * Its words come from /embed/messages.json in one locale: the snippet's
 * `data-locale`, else the reader's languages, else the host page's
 * <html lang>, whichever the status page offers first (else its default);
 * fetched once, then kept by the browser.
 */
(() => {
  if (customElements.get("candor-status")) return;
  const script = document.currentScript;
  const base = new URL(script && script.src ? script.src : "/embed.js", location.href).origin;
  const asked = [script && script.dataset.locale, ...(navigator.languages || []), document.documentElement.lang];
  const MINUTE = 60000;
  const KEY = "candor-status-dismissed";
  const elements = new Set();
  let data = null;
  let text = null;
  let etag = null;
  let last = 0;
  let timer = 0;

  const schedule = (wait) => {
    clearTimeout(timer);
    timer = elements.size && !document.hidden ? setTimeout(poll, Math.max(0, wait)) : 0;
  };
  async function poll() {
    last = Date.now();
    try {
      const response = await fetch(base + "/embed/status.json", { credentials: "omit" });
      const tag = response.headers.get("etag");
      let changed = false;
      if (response.ok && (!tag || tag !== etag)) {
        data = await response.json();
        etag = tag;
        changed = true;
      }
      const locale = data && pick(data.page);
      if (locale && (!text || text.locale !== locale)) {
        const words = await fetch(base + "/embed/messages.json?locale=" + encodeURIComponent(locale), { credentials: "omit" });
        if (words.ok) {
          text = await words.json();
          changed = true;
        }
      }
      // Nothing shows before its words do: until they come, the next poll asks again.
      if (changed && text) elements.forEach((e) => e.render());
    } catch {
      // Offline or the page unreachable: keep what is shown, try again next minute.
    }
    schedule(MINUTE);
  }
  /** The first asked-for language the page offers (exactly, else by its language: de-AT is de, zh is zh-CN). */
  function pick(page) {
    const offered = page.locales || [];
    const language = (tag) => tag.toLowerCase().split("-")[0];
    for (const tag of asked) {
      if (!tag) continue;
      const found = offered.find((l) => l.toLowerCase() === tag.toLowerCase()) || offered.find((l) => language(l) === language(tag));
      if (found) return found;
    }
    return page.default_locale || "en";
  }
  document.addEventListener("visibilitychange", () => schedule(last + MINUTE - Date.now()));
  addEventListener("storage", (e) => e.key === KEY && elements.forEach((el) => el.render()));

  const dismissed = () => {
    try {
      return JSON.parse(localStorage.getItem(KEY)) || {};
    } catch {
      return {};
    }
  };
  function dismiss(item) {
    const all = dismissed();
    all[item.id] = item.latest_update_at;
    // Only what is still open is worth remembering.
    const open = new Set(data ? [...data.incidents, ...data.maintenances].map((i) => i.id) : []);
    for (const id in all) if (!open.has(id) && id !== item.id) delete all[id];
    try {
      localStorage.setItem(KEY, JSON.stringify(all));
    } catch {
      // Storage refused (private mode, a sandbox): hidden until the page reloads.
    }
    elements.forEach((e) => e.render());
  }

  const DEMO = {
    page: { name: "Status", url: base },
    incidents: [
      { id: "demo", kind: "incident", name: "Elevated error rates (preview)", status: "identified", impact: "major", latest_update_at: new Date().toISOString(), url: base, component_ids: [] },
    ],
    maintenances: [],
  };
  const DOT = { critical: "#d92d20", major: "#e8590c", minor: "#eab308", none: "#e8590c", maintenance: "#2563eb" };
  const CSS = `:host{display:block;font:inherit;color:inherit}:host([mode=badge]){display:inline-block}
.list{display:flex;flex-direction:column;gap:2px}
.item{display:flex;align-items:flex-start;gap:.75em;padding:.6em .75em;padding-inline-start:1em;background:var(--candor-incident-background,#fdecea);color:var(--candor-incident-text,#5c1712);border-inline-start:4px solid var(--dot)}
.item.maintenance{background:var(--candor-maintenance-background,#e7eefc);color:var(--candor-maintenance-text,#102a68)}
p{margin:0;flex:1;min-width:0}a{color:inherit;font-weight:600}.meta{font-size:.875em}
button{flex:none;font:inherit;font-size:1.25em;line-height:1;background:none;border:0;color:inherit;cursor:pointer;padding:.1em .35em;border-radius:.25em}
a:focus-visible,button:focus-visible{outline:2px solid currentColor;outline-offset:2px}
.toast{position:fixed;z-index:2147483000;bottom:1rem;inset-inline-end:1rem;width:min(24rem,calc(100vw - 2rem));gap:.5rem}
:host([position*=top]) .toast{top:1rem;bottom:auto}:host([position*=left]) .toast{left:1rem;right:auto}:host([position*=right]) .toast{right:1rem;left:auto}:host([demo]) .toast{position:static}
.toast .item{border-radius:.5rem;box-shadow:0 6px 24px rgba(0,0,0,.18);animation:in .3s ease-out}
@keyframes in{from{transform:translateY(.75rem);opacity:0}}
.badge{display:inline-flex;align-items:center;gap:.45em;color:inherit;font-weight:inherit;text-decoration:none}.badge:hover{text-decoration:underline}
.dot{width:.625em;height:.625em;border-radius:50%;background:var(--dot)}
@media (prefers-reduced-motion:reduce){.toast .item{animation:none}}
@media (prefers-color-scheme:dark){.item{background:var(--candor-incident-background,#4a1410);color:var(--candor-incident-text,#fde4e1)}
.item.maintenance{background:var(--candor-maintenance-background,#14285a);color:var(--candor-maintenance-text,#e3ebff)}}`;
  let sheet = null;

  const el = (tag, props, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  };
  const time = (iso) =>
    el("time", { dateTime: iso }, new Date(iso).toLocaleString(text.locale, { dateStyle: "medium", timeStyle: "short" }));
  /** A template's {slots} filled with text or nodes, in order (lib/public/widget.ts widgetText). */
  const fill = (template, values) => template.split(/\{(\w+)\}/).map((piece, i) => (i % 2 ? values[piece] : piece));
  /** A count in words: the template of its plural category, the number in the locale's digits. */
  const counted = (forms, count) =>
    fill(forms[new Intl.PluralRules(text.locale).select(count)] || forms.other, { count: new Intl.NumberFormat(text.locale).format(count) }).join("");

  class CandorStatus extends HTMLElement {
    static observedAttributes = ["mode", "components", "demo"];
    #root = this.attachShadow({ mode: "closed" });
    #shown = "";

    connectedCallback() {
      if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(CSS);
      this.#root.adoptedStyleSheets = [sheet];
      elements.add(this);
      this.render();
      if (!timer && !document.hidden) schedule(last + MINUTE - Date.now());
    }
    disconnectedCallback() {
      elements.delete(this);
      if (!elements.size) schedule(0);
    }
    attributeChangedCallback() {
      if (this.isConnected) this.render();
    }

    /** The open items this element is about: all, or those affecting one of its `components`. */
    #items() {
      const source = this.hasAttribute("demo") ? DEMO : data;
      if (!source) return null;
      const wanted = (this.getAttribute("components") || "").split(",").map((s) => s.trim()).filter(Boolean);
      const items = [...source.incidents, ...source.maintenances];
      return wanted.length ? items.filter((i) => i.component_ids.some((c) => wanted.includes(c))) : items;
    }

    render() {
      const items = text && this.#items();
      const badge = this.getAttribute("mode") === "badge";
      const hidden = badge || this.hasAttribute("demo") ? {} : dismissed();
      const visible = items ? items.filter((i) => hidden[i.id] !== i.latest_update_at) : [];
      const mode = badge ? "badge" : this.getAttribute("mode") === "toast" ? "toast" : "banner";
      // Re-render only what changed: a live region announces every change.
      const shown = mode + JSON.stringify(visible) + (items ? "" : "-");
      if (shown === this.#shown) return;
      this.#shown = shown;
      if (badge) return this.#badge(items, visible);
      let list = this.#root.querySelector(".list");
      if (!list || list.className !== "list " + mode) {
        list = el("div", { className: "list " + mode });
        this.#root.replaceChildren(list);
      }
      if (text) list.lang = text.locale;
      if (text) list.dir = text.dir;
      // Polite, assertive for a critical incident; the region exists before its content so it is announced.
      list.setAttribute("aria-live", visible.some((i) => i.impact === "critical") ? "assertive" : "polite");
      const focused = this.#root.activeElement;
      list.replaceChildren(...visible.map((item) => this.#item(item)));
      if (focused && !this.#root.contains(focused)) (list.querySelector("button") || this).focus?.();
    }

    #item(item) {
      const close = el("button", { type: "button", ariaLabel: fill(text.dismiss, { name: item.name }).join(""), textContent: "\u00d7", onclick: () => dismiss(item) });
      const box = el(
        "div",
        {
          className: "item " + item.kind,
          onkeydown: (e) => {
            // A handler property returning false cancels the key: Enter and Space would no longer press the button.
            if (e.key === "Escape") dismiss(item);
          },
        },
        el(
          "p",
          {},
          el("a", { href: item.url, target: "_blank", rel: "noopener", dir: "auto" }, item.name),
          el("br"),
          el("span", { className: "meta" }, ...fill(text.meta, { status: text.status[item.status] || item.status_label, time: time(item.latest_update_at) })),
        ),
        close,
      );
      box.style.setProperty("--dot", DOT[item.kind === "maintenance" ? "maintenance" : item.impact]);
      return box;
    }

    #badge(items, visible) {
      const worst = visible.find((i) => i.kind === "incident") || visible[0];
      const incidents = visible.filter((i) => i.kind === "incident").length;
      // Nothing until the status and its words are in: a link must say where it goes.
      if (!items) return this.#root.replaceChildren();
      const words = !worst
        ? text.allOperational
        : visible.length === 1
          ? worst.name
          : incidents
            ? counted(incidents < visible.length ? text.incidentsAndMaintenance : text.incidents, incidents)
            : text.maintenance;
      const link = el("a", { className: "badge", href: worst ? worst.url : (data || DEMO).page.url, target: "_blank", rel: "noopener", lang: text.locale, dir: text.dir }, el("span", { className: "dot" }), words);
      link.style.setProperty("--dot", worst ? DOT[worst.kind === "maintenance" ? "maintenance" : worst.impact] : "#16a34a");
      this.#root.replaceChildren(link);
    }
  }
  customElements.define("candor-status", CandorStatus);
})();
