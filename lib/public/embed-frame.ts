import { createHash } from "node:crypto";
import { formatter, translator } from "#lib/core/messages.ts";
import type { EmbedConfig } from "#lib/domain/embed-config.ts";
import { escapeXml } from "./badges.ts";
import { fillTemplate, type WidgetPayload, type WidgetText } from "./widget.ts";

/*
 * /embed/frame: the page Statuspage's embed script frames (public/embed/script.js
 * is ours). It shows the first open incident (worst first) or else the
 * maintenance in progress, in the configured colours, and tells the page that
 * frames it to show it (`{action: "showFrame", position, id, updated_at}`)
 * or to hide it (`{action: "dismissFrame", …}`): at once when there is
 * nothing to show, and when the visitor dismisses it (the button, or
 * Escape). The framing script remembers the dismissal (id and updated_at)
 * in its own page's storage: a third-party frame's storage is blocked or
 * partitioned by browsers. The messages go to any parent: they carry nothing
 * private; the script that framed us checks they come from this frame's
 * origin. `?mobile=true` is the narrow layout (100vw × 20vh). It speaks the
 * locale it is given (`?locale=`, one the page offers; the framing script
 * picks it), right to left for Arabic, and tells the framing script its
 * title for the iframe in that language.
 */

// Data rides on <body>'s attributes, so the script is one fixed text and its CSP hash a constant.
const SCRIPT = `(function(){var d=document.body.dataset,t=document.querySelector("time");
function post(a){parent.postMessage({action:a,position:d.position,id:d.id,updated_at:d.at,title:d.title},"*")}
if(t)t.textContent=new Date(t.dateTime).toLocaleString(document.documentElement.lang,{dateStyle:"medium",timeStyle:"short"});
if(!d.id){post("dismissFrame");return}
function dismiss(){post("dismissFrame")}
document.querySelector("button").addEventListener("click",dismiss);
addEventListener("keydown",function(e){if(e.key==="Escape")dismiss()});
post("showFrame")})();`;

/** For the frame's Content-Security-Policy (lib/http/content-security-policy.ts embedFramePolicy). */
export const EMBED_FRAME_SCRIPT_HASH = `sha256-${createHash("sha256").update(SCRIPT).digest("base64")}`;

export function renderEmbedFrame(payload: WidgetPayload, config: EmbedConfig, mobile: boolean, text: WidgetText): string {
  const item = payload.incidents[0] ?? payload.maintenances[0];
  const incident = item?.kind === "incident";
  const background = incident ? config.incident_background_color : config.maintenance_background_color;
  const color = incident ? config.incident_text_color : config.maintenance_text_color;
  const attrs = item ? ` data-id="${item.id}" data-at="${escapeXml(item.latest_update_at)}"` : "";
  // Without the script (or before it runs) the time reads in UTC; the script shows it in the reader's zone.
  const when = item
    ? formatter(text.locale, "UTC").dateTime(new Date(item.latest_update_at), { dateStyle: "medium", timeStyle: "short" }) + " UTC"
    : "";
  const html = (template: string, values: Record<string, string>) =>
    fillTemplate(template, values)
      .map((piece, i) => (i % 2 ? piece : escapeXml(piece)))
      .join("");
  const content = item
    ? `<main aria-label="${escapeXml(text.region)}"><p class="name"><a href="${escapeXml(item.url)}" target="_blank" rel="noopener" dir="auto">${escapeXml(item.name)}</a></p>` +
      `<p class="meta">${html(text.meta, { status: escapeXml(text.status[item.status]), time: `<time datetime="${escapeXml(item.latest_update_at)}">${escapeXml(when)}</time>` })}</p></main>` +
      `<button type="button" aria-label="${escapeXml(fillTemplate(text.dismiss, { name: item.name }).join(""))}">×</button>`
    : "";
  return `<!doctype html><html lang="${text.locale}" dir="${text.dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeXml(translator(text.locale, "widget")("title", { page: payload.page.name }))}</title><style>
html,body{margin:0;height:100%}
body{box-sizing:border-box;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:${background};color:${color};display:flex;align-items:center;padding-block:12px;padding-inline:${mobile ? "16px 48px" : "18px 44px"};overflow:hidden}
main{min-width:0}p{margin:0}.name{font-weight:600;font-size:${mobile ? 16 : 15}px;overflow:hidden;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical}
a{color:inherit}.meta{margin-top:4px;font-size:13px}
button{position:absolute;top:6px;inset-inline-end:6px;min-width:32px;min-height:32px;background:none;border:0;color:inherit;font-size:22px;line-height:1;cursor:pointer;border-radius:4px}
button:focus-visible,a:focus-visible{outline:2px solid currentColor;outline-offset:2px}
</style></head><body data-position="${config.position}" data-title="${escapeXml(text.region)}"${attrs}>${content}<script>${SCRIPT}</script></body></html>`;
}
