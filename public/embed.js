/*
 * Candor's in-app widget: <candor-status mode="banner|toast|badge" components="id,id">.
 * Plain script, no framework, closed shadow DOM; README.md "In-app widget".
 * Every element on a page shares one poll of /embed/status.json: once a
 * minute at most, none while the tab is hidden, revalidated by the browser
 * with the ETag (a plain CORS GET: no preflight); an unchanged ETag renders
 * nothing new. A dismissed item stays hidden (localStorage) until its
 * latest update changes. Size budget: 5 KB gzipped (test/unit/embed-widget.test.ts).
 */
(() => {
  if (customElements.get("candor-status")) return;
  const script = document.currentScript;
  const base = new URL(script && script.src ? script.src : "/embed.js", location.href).origin;
  const MINUTE = 60000;
  const KEY = "candor-status-dismissed";
  const elements = new Set();
  let data = null;
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
      if (response.ok && (!tag || tag !== etag)) {
        data = await response.json();
        etag = tag;
        elements.forEach((e) => e.render());
      }
    } catch {
      // Offline or the page unreachable: keep what is shown, try again next minute.
    }
    schedule(MINUTE);
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
      { id: "demo", kind: "incident", name: "Elevated error rates (preview)", status_label: "Identified", impact: "major", latest_update_at: new Date().toISOString(), url: base, component_ids: [] },
    ],
    maintenances: [],
  };
  const DOT = { critical: "#d92d20", major: "#e8590c", minor: "#eab308", none: "#e8590c", maintenance: "#2563eb" };
  const CSS = `:host{display:block;font:inherit;color:inherit}:host([mode=badge]){display:inline-block}
.list{display:flex;flex-direction:column;gap:2px}
.item{display:flex;align-items:flex-start;gap:.75em;padding:.6em .75em .6em 1em;background:var(--candor-incident-background,#fdecea);color:var(--candor-incident-text,#5c1712);border-left:4px solid var(--dot)}
.item.maintenance{background:var(--candor-maintenance-background,#e7eefc);color:var(--candor-maintenance-text,#102a68)}
p{margin:0;flex:1;min-width:0}a{color:inherit;font-weight:600}.meta{font-size:.875em}
button{flex:none;font:inherit;font-size:1.25em;line-height:1;background:none;border:0;color:inherit;cursor:pointer;padding:.1em .35em;border-radius:.25em}
a:focus-visible,button:focus-visible{outline:2px solid currentColor;outline-offset:2px}
.toast{position:fixed;z-index:2147483000;bottom:1rem;right:1rem;width:min(24rem,calc(100vw - 2rem));gap:.5rem}
:host([position*=top]) .toast{top:1rem;bottom:auto}:host([position*=left]) .toast{left:1rem;right:auto}:host([demo]) .toast{position:static}
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
    el("time", { dateTime: iso }, new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" }));

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
      const items = this.#items();
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
      // Polite, assertive for a critical incident; the region exists before its content so it is announced.
      list.setAttribute("aria-live", visible.some((i) => i.impact === "critical") ? "assertive" : "polite");
      const focused = this.#root.activeElement;
      list.replaceChildren(...visible.map((item) => this.#item(item)));
      if (focused && !this.#root.contains(focused)) (list.querySelector("button") || this).focus?.();
    }

    #item(item) {
      const close = el("button", { type: "button", ariaLabel: "Dismiss: " + item.name, textContent: "\u00d7", onclick: () => dismiss(item) });
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
          el("a", { href: item.url, target: "_blank", rel: "noopener" }, item.name),
          el("br"),
          el("span", { className: "meta" }, item.status_label + " \u00b7 updated ", time(item.latest_update_at)),
        ),
        close,
      );
      box.style.setProperty("--dot", DOT[item.kind === "maintenance" ? "maintenance" : item.impact]);
      return box;
    }

    #badge(items, visible) {
      const worst = visible.find((i) => i.kind === "incident") || visible[0];
      const incidents = visible.filter((i) => i.kind === "incident").length;
      const text = !items
        ? "Status"
        : !worst
          ? "All systems operational"
          : visible.length === 1
            ? worst.name
            : incidents
              ? incidents + (incidents > 1 ? " active incidents" : " active incident") + (incidents < visible.length ? " and maintenance" : "")
              : "Maintenance in progress";
      const link = el("a", { className: "badge", href: worst ? worst.url : (data || DEMO).page.url, target: "_blank", rel: "noopener" }, el("span", { className: "dot" }), text);
      link.style.setProperty("--dot", !items ? "#9ca3af" : worst ? DOT[worst.kind === "maintenance" ? "maintenance" : worst.impact] : "#16a34a");
      this.#root.replaceChildren(link);
    }
  }
  customElements.define("candor-status", CandorStatus);
})();
